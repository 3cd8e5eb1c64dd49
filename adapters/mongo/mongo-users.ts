import type { ClientSession, Connection } from 'mongoose';
import { DomainError } from '#domain/errors.js';
import { lastAdmin, roles, type Address, type UserRecord, type UserRepository } from '#domain/users/user.js';
import { duplicateKeyOn, mongoModels } from './models.js';
import { appendEvents } from './mongo-outbox.js';
import { inTransaction } from './transaction.js';

export interface UserDoc extends Omit<UserRecord, 'id'> {
  _id: string;
  emailLower: string;
}

const toAddress = (a: Address): Address => ({
  id: a.id,
  ...(a.label ? { label: a.label } : {}),
  street: a.street,
  city: a.city,
  postalCode: a.postalCode,
  country: a.country,
});

/** Field by field, as the SQL adapter maps its columns: whatever else a document holds stays in the store. */
export const toUser = (d: UserDoc): UserRecord => ({
  id: d._id,
  email: d.email,
  name: d.name,
  ...(d.phone ? { phone: d.phone } : {}),
  role: d.role,
  passwordHash: d.passwordHash,
  addresses: (d.addresses ?? []).map(toAddress),
  emailVerified: d.emailVerified ?? false,
  marketingEmails: d.marketingEmails ?? false,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

// An id is always compared as a string: an object (`{"$ne": null}`) can never become a query operator.
const asId = (id: string) => String(id);

/** The counter document every write that may take an admin away changes (see keepAnAdmin). */
const ADMIN_GUARD = 'admins';

/** Users in MongoDB. Writes with events run in a transaction (transaction.ts). */
export function mongoUsers(connection: Connection): UserRepository {
  const { User, Counter } = mongoModels(connection);

  /**
   * Inside a transaction, before a write that may take an admin away (a delete, a role change):
   * refuses when the user is the only admin left. The count alone would not be safe: two
   * transactions deleting two different admins read the same snapshot, write different
   * documents, and would both commit. So each first changes one shared document (ADMIN_GUARD):
   * of two such transactions at once, the second's write is a write conflict, the driver runs
   * it again (a TransientTransactionError), and its new snapshot counts the first's outcome.
   * A promotion needs no guard: it can only add an admin.
   */
  async function keepAnAdmin(session: ClientSession, id: string) {
    await Counter.updateOne({ _id: ADMIN_GUARD }, { $inc: { seq: 1 } }, { session });
    const user = await User.findById(asId(id), { role: 1 }).session(session).lean();
    if (user?.role !== 'admin') return;
    if ((await User.countDocuments({ role: 'admin' }).session(session)) <= 1) throw lastAdmin();
  }
  /** The guard document exists before any transaction changes it (an upsert in two transactions at once could clash on its _id). */
  let guardReady: Promise<unknown> | undefined;
  const withGuard = () =>
    (guardReady ??= Counter.updateOne({ _id: ADMIN_GUARD }, { $setOnInsert: { seq: 0 } }, { upsert: true }).catch((error) => {
      guardReady = undefined;
      throw error;
    }));
  const found = (doc: unknown) => (doc ? toUser(doc as UserDoc) : null);
  // `new: true` is deprecated in mongoose 9 (a warning on every call): returnDocument says the same.
  // Validators run on updates too (the role enum, the address fields): mongoose skips them otherwise.
  const options = { returnDocument: 'after', lean: true, sanitizeFilter: true, runValidators: true } as const;

  return {
    async create(user, events) {
      const { id, ...rest } = user;
      try {
        await inTransaction(connection, async (session) => {
          await User.create([{ _id: id, ...rest, emailLower: user.email.toLowerCase() }], { session });
          await appendEvents(connection, session, events);
        });
      } catch (error) {
        // Only the emailLower index means EMAIL_TAKEN; a clash on an _id (user or event) is a real error.
        if (duplicateKeyOn(error, 'emailLower')) throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
        throw error;
      }
    },

    findById: async (id) => found(await User.findById(asId(id)).lean()),
    findByEmail: async (email) => found(await User.findOne({ emailLower: String(email).toLowerCase() }).lean()),

    async update(id, patch, events) {
      const set: Record<string, unknown> = { updatedAt: patch.updatedAt };
      const unset: Record<string, 1> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.role !== undefined) set.role = patch.role;
      if (patch.passwordHash !== undefined) set.passwordHash = patch.passwordHash;
      if (patch.email !== undefined) Object.assign(set, { email: patch.email, emailLower: patch.email.toLowerCase() });
      if (patch.emailVerified !== undefined) set.emailVerified = patch.emailVerified;
      if (patch.marketingEmails !== undefined) set.marketingEmails = patch.marketingEmails;
      if (patch.phone === null) unset.phone = 1;
      else if (patch.phone !== undefined) set.phone = patch.phone;
      const change = { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) };
      // A role outside the enum is left to the validators (no guard for a write that cannot happen).
      const demoting = patch.role !== undefined && patch.role !== 'admin' && roles.includes(patch.role);
      try {
        if (!events?.length && !demoting) return found(await User.findByIdAndUpdate(asId(id), change, options));
        if (demoting) await withGuard();
        return await inTransaction(connection, async (session) => {
          if (demoting) await keepAnAdmin(session, id);
          const doc = await User.findByIdAndUpdate(asId(id), change, { ...options, session });
          if (doc) await appendEvents(connection, session, events);
          return found(doc);
        });
      } catch (error) {
        if (duplicateKeyOn(error, 'emailLower')) throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
        throw error;
      }
    },

    markEmailVerified: async (id, email, updatedAt) =>
      found(await User.findOneAndUpdate({ _id: asId(id), email: String(email) }, { $set: { emailVerified: true, updatedAt } }, options)),

    // One conditional write: the filter holds only while the array has fewer than `max` entries.
    async addAddress(id, address, updatedAt, max) {
      const filter = { _id: asId(id), [`addresses.${Math.max(0, Math.trunc(max) - 1)}`]: { $exists: false } };
      // sanitizeFilter would turn the $exists into a value to match: the filter holds only our own values.
      const doc = await User.findOneAndUpdate(filter, { $push: { addresses: address }, $set: { updatedAt } }, { ...options, sanitizeFilter: false });
      if (doc) return toUser(doc);
      return (await User.exists({ _id: asId(id) })) ? 'full' : null;
    },

    removeAddress: async (id, addressId, updatedAt) =>
      found(
        await User.findByIdAndUpdate(
          asId(id),
          { $pull: { addresses: { id: String(addressId) } }, $set: { updatedAt } },
          options,
        ),
      ),

    async delete(id, events) {
      await withGuard();
      return inTransaction(connection, async (session) => {
        await keepAnAdmin(session, id);
        const doc = await User.findByIdAndDelete(asId(id), { session });
        if (doc) await appendEvents(connection, session, events);
        return Boolean(doc);
      });
    },

    countAdmins: () => User.countDocuments({ role: 'admin' }),

    /**
     * The total is the collection's count from its metadata: countDocuments() would read every
     * user for an unfiltered list. It can be off after an unclean shutdown until the server has
     * recounted, which an admin's page count can bear.
     */
    async list(offset, limit) {
      const [docs, total] = await Promise.all([
        User.find().sort({ createdAt: -1, _id: -1 }).skip(offset).limit(limit).lean(),
        User.estimatedDocumentCount(),
      ]);
      return { items: docs.map((d) => toUser(d as unknown as UserDoc)), total };
    },
  };
}
