import { DomainError } from '#domain/errors.js';
import type { DomainEvent } from '#domain/ports.js';
import { lastAdmin, type Address, type Role, type UserPatch, type UserRecord, type UserRepository } from '#domain/users/user.js';
import { uniqueViolation, type SqlClient, type SqlDatabase } from './sql-database.js';
import { pageOf } from './page.js';
import { appendEvents } from './sql-outbox.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  password_hash: string;
  addresses: Address[];
  email_verified: boolean;
  marketing_emails: boolean;
  created_at: Date;
  updated_at: Date;
  total?: number;
}

const columns = 'id, email, name, phone, role, password_hash, addresses, email_verified, marketing_emails, created_at, updated_at';

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  ...(row.phone ? { phone: row.phone } : {}),
  role: row.role,
  passwordHash: row.password_hash,
  addresses: row.addresses,
  emailVerified: row.email_verified,
  marketingEmails: row.marketing_emails,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/**
 * Before a write that may take an admin away (deleting a user, a role change): locks every admin
 * row and the user's own, always in id order (two such transactions never deadlock), then refuses
 * when the user is the only admin left. A concurrent delete or demotion of another admin holds
 * those locks until it commits, and the locking read then sees its outcome (READ COMMITTED reads
 * the newest version of a row it waited for): two admins removing each other leave one.
 * A promotion at the same moment is not waited for: it can only add an admin.
 */
async function keepAnAdmin(tx: SqlClient, id: string) {
  const rows = await tx.query<{ id: string; role: Role }>(
    `SELECT id, role FROM users WHERE role = 'admin' OR id = $1 ORDER BY id FOR UPDATE`,
    [id],
  );
  const admins = rows.filter((r) => r.role === 'admin');
  if (admins.some((r) => r.id === id) && admins.length <= 1) throw lastAdmin();
}

/** A unique violation (the email index, the one unique index of users) as EMAIL_TAKEN. */
async function emailTaken<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (uniqueViolation(error)) throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
    throw error;
  }
}

export function sqlUsers(db: SqlDatabase): UserRepository {
  const one = async (text: string, params: unknown[]) => {
    const [row] = await db.query<UserRow>(text, params);
    return row ? toUser(row) : null;
  };

  return {
    async create(user, events) {
      try {
        await db.transaction(async (tx) => {
          await tx.query(`INSERT INTO users (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
            user.id,
            user.email,
            user.name,
            user.phone ?? null,
            user.role,
            user.passwordHash,
            JSON.stringify(user.addresses),
            user.emailVerified,
            user.marketingEmails,
            user.createdAt,
            user.updatedAt,
          ]);
          await appendEvents(tx, events);
        });
      } catch (error) {
        if (uniqueViolation(error)) throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
        throw error;
      }
    },

    findById: (id) => one(`SELECT ${columns} FROM users WHERE id = $1`, [id]),
    findByEmail: (email) => one(`SELECT ${columns} FROM users WHERE lower(email) = lower($1)`, [email]),

    async update(id, patch: UserPatch, events?: DomainEvent[]) {
      return emailTaken(() => db.transaction(async (tx) => {
        if (patch.role && patch.role !== 'admin') await keepAnAdmin(tx, id);
        const [row] = await tx.query<UserRow>(
          `UPDATE users SET
             name = COALESCE($2, name),
             phone = CASE WHEN $3::boolean THEN $4 ELSE phone END,
             role = COALESCE($5, role),
             password_hash = COALESCE($6, password_hash),
             updated_at = $7,
             email = COALESCE($8, email),
             email_verified = COALESCE($9, email_verified),
             marketing_emails = COALESCE($10, marketing_emails)
           WHERE id = $1 RETURNING ${columns}`,
          [
            id,
            patch.name ?? null,
            patch.phone !== undefined,
            patch.phone ?? null,
            patch.role ?? null,
            patch.passwordHash ?? null,
            patch.updatedAt,
            patch.email ?? null,
            patch.emailVerified ?? null,
            patch.marketingEmails ?? null,
          ],
        );
        if (row) await appendEvents(tx, events);
        return row ? toUser(row) : null;
      }));
    },

    markEmailVerified: (id, email, updatedAt) =>
      one(
        `UPDATE users SET email_verified = true, updated_at = $3 WHERE id = $1 AND email = $2 RETURNING ${columns}`,
        [id, email, updatedAt],
      ),

    // The count is in the UPDATE's own condition: the row lock makes a second append wait and
    // then re-check it against the first one's result.
    async addAddress(id, address, updatedAt, max) {
      const added = await one(
        `UPDATE users SET addresses = addresses || jsonb_build_array($2::jsonb), updated_at = $3
         WHERE id = $1 AND jsonb_array_length(addresses) < $4 RETURNING ${columns}`,
        [id, JSON.stringify(address), updatedAt, max],
      );
      if (added) return added;
      return (await db.query('SELECT 1 FROM users WHERE id = $1', [id])).length ? 'full' : null;
    },

    removeAddress: (id, addressId, updatedAt) =>
      one(
        `UPDATE users SET updated_at = $3, addresses = COALESCE(
           (SELECT jsonb_agg(a) FROM jsonb_array_elements(addresses) a WHERE a->>'id' <> $2), '[]'::jsonb)
         WHERE id = $1 RETURNING ${columns}`,
        [id, addressId, updatedAt],
      ),

    async delete(id, events) {
      return db.transaction(async (tx) => {
        await keepAnAdmin(tx, id);
        const deleted = await tx.query('DELETE FROM users WHERE id = $1 RETURNING id', [id]);
        if (deleted.length) await appendEvents(tx, events);
        return deleted.length > 0;
      });
    },

    async countAdmins() {
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
      return row.n;
    },

    async list(offset, limit) {
      const { rows, total } = await pageOf<UserRow>(
        db,
        {
          text: `SELECT ${columns}, (SELECT count(*)::int FROM users) AS total FROM users
                 ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT $2`,
          params: [offset, limit],
        },
        { text: 'SELECT count(*)::int AS n FROM users', params: [] },
        offset,
      );
      return { items: rows.map(toUser), total };
    },
  };
}
