import type { SqlDatabase } from './sql-database.js';

/** Tables and indexes, created at start-up; safe to run from many processes at once. */
const statements = [
  `CREATE TABLE IF NOT EXISTS users (
     id text PRIMARY KEY,
     email text NOT NULL,
     name text NOT NULL,
     phone text,
     role text NOT NULL CHECK (role IN ('customer', 'admin')),
     password_hash text NOT NULL,
     addresses jsonb NOT NULL DEFAULT '[]',
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email))`,
  `CREATE INDEX IF NOT EXISTS users_created_at_idx ON users (created_at DESC, id DESC)`,
  `CREATE TABLE IF NOT EXISTS outbox (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     type text NOT NULL,
     data jsonb NOT NULL,
     call_id text,
     occurred_at timestamptz NOT NULL,
     sent_at timestamptz)`,
  `CREATE INDEX IF NOT EXISTS outbox_unsent_idx ON outbox (seq) WHERE sent_at IS NULL`,
];

// Any fixed number: concurrent start-ups queue on it instead of racing on CREATE.
const MIGRATION_LOCK = 727_001;

export async function migrate(db: SqlDatabase) {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    for (const statement of statements) await tx.query(statement);
  });
}
