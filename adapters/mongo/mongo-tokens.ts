import type { Connection } from 'mongoose';
import type { OneTimeToken, OneTimeTokenStore, TokenPurpose } from '#domain/users/one-time-tokens.js';
import { mongoModels } from './models.js';
import { inTransaction } from './transaction.js';

interface TokenDoc {
  _id: string;
  purpose: TokenPurpose;
  userId: string;
  email: string;
  expiresAt: Date;
}

const toToken = (d: TokenDoc): OneTimeToken => ({ hash: d._id, purpose: d.purpose, userId: d.userId, email: d.email, expiresAt: d.expiresAt });

/**
 * One-time tokens in MongoDB, `_id` the token's hash. A use is one findOneAndUpdate whose filter
 * holds only while the token is unused: of two at once, the second matches nothing.
 */
export function mongoTokens(connection: Connection): OneTimeTokenStore {
  const { OneTimeToken: Token } = mongoModels(connection);
  // Values are ours or strings (String(...)): sanitizeFilter stays off so `$gt` and `$exists` work.
  const live = (purpose: TokenPurpose, hash: string, now: Date) => ({
    _id: String(hash),
    purpose,
    usedAt: { $exists: false },
    expiresAt: { $gt: now },
  });
  const found = (doc: unknown) => (doc ? toToken(doc as TokenDoc) : null);

  return {
    async issue(token, now) {
      await inTransaction(connection, async (session) => {
        await Token.updateMany({ userId: token.userId, purpose: token.purpose, usedAt: { $exists: false } }, { $set: { usedAt: now } }, { session });
        const { hash, ...rest } = token;
        await Token.create([{ _id: hash, ...rest }], { session });
      });
    },
    find: async (purpose, hash, now) => found(await Token.findOne(live(purpose, hash, now)).lean()),
    consume: async (purpose, hash, now) =>
      found(await Token.findOneAndUpdate(live(purpose, hash, now), { $set: { usedAt: now } }, { returnDocument: 'after', lean: true })),
    async prune(before) {
      const { deletedCount } = await Token.deleteMany({ $or: [{ usedAt: { $lt: before } }, { expiresAt: { $lt: before } }] });
      return deletedCount;
    },
  };
}
