import type { OneTimeToken, OneTimeTokenStore, TokenPurpose } from '#domain/users/one-time-tokens.js';
import type { SqlDatabase } from './sql-database.js';

interface TokenRow {
  hash: string;
  purpose: TokenPurpose;
  user_id: string;
  email: string;
  expires_at: Date;
}

const toToken = (row: TokenRow): OneTimeToken => ({
  hash: row.hash,
  purpose: row.purpose,
  userId: row.user_id,
  email: row.email,
  expiresAt: new Date(row.expires_at),
});

const columns = 'hash, purpose, user_id, email, expires_at';

/** One-time tokens in the `one_time_tokens` table; the use is the UPDATE's own condition. */
export function sqlTokens(db: SqlDatabase): OneTimeTokenStore {
  return {
    async issue(token, now) {
      await db.transaction(async (tx) => {
        // One issue per user at a time (two requests at once leave one live token): the user's row lock.
        await tx.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [token.userId]);
        await tx.query(`UPDATE one_time_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, [
          token.userId,
          token.purpose,
          now,
        ]);
        await tx.query(`INSERT INTO one_time_tokens (${columns}) VALUES ($1, $2, $3, $4, $5)`, [
          token.hash,
          token.purpose,
          token.userId,
          token.email,
          token.expiresAt,
        ]);
      });
    },

    async find(purpose, hash, now) {
      const [row] = await db.query<TokenRow>(
        `SELECT ${columns} FROM one_time_tokens WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
        [hash, purpose, now],
      );
      return row ? toToken(row) : null;
    },

    async consume(purpose, hash, now) {
      // The row lock makes a second UPDATE wait, then re-check `used_at IS NULL` against the first's result.
      const [row] = await db.query<TokenRow>(
        `UPDATE one_time_tokens SET used_at = $3
         WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING ${columns}`,
        [hash, purpose, now],
      );
      return row ? toToken(row) : null;
    },

    async prune(before) {
      const rows = await db.query('DELETE FROM one_time_tokens WHERE used_at < $1 OR expires_at < $1 RETURNING hash', [before]);
      return rows.length;
    },
  };
}
