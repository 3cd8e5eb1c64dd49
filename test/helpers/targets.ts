import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionString } from 'mongodb-connection-string-url';
import pg from 'pg';

/**
 * Where a suite runs: always on embedded defaults; also on PostgreSQL + Redis when
 * DATABASE_URL (postgres://…) and REDIS_URL are set, and on MongoDB when MONGO_URL is set.
 * Each target gets fresh storage: a temporary DATA_DIR, its own PostgreSQL schema,
 * its own Redis key prefix, its own MongoDB database.
 */
export interface Target {
  name: string;
  /** Environment for loadConfig(); cleanup() removes what was created. */
  env(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
}

const unique = () => `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export const postgresUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;
export const redisUrl = process.env.REDIS_URL || undefined;
export const mongoUrl = process.env.MONGO_URL || undefined;
export const amqpUrl = process.env.AMQP_URL || undefined;

/** How to run what MONGO_URL would have run, said wherever a MongoDB suite is skipped. */
export const mongoSkipped =
  'MongoDB SKIPPED: MONGO_URL is not set. To run it: docker compose up mongo, then ' +
  'MONGO_URL=mongodb://localhost:27017/?replicaSet=rs0 npm test';

/** A schema of its own on the PostgreSQL server, reached through `options=-c search_path`. */
export async function freshPostgres(url: string) {
  const schema = unique();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const sep = url.includes('?') ? '&' : '?';
  return {
    url: `${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    async cleanup() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/**
 * A database of its own on the MongoDB server, dropped by cleanup(). The URL may be a seed list
 * (`mongodb://a:1,b:2/?replicaSet=rs0`), which WHATWG URL cannot parse.
 */
export function freshMongo(url: string) {
  const fresh = new ConnectionString(url);
  fresh.pathname = `/${unique()}`;
  return {
    url: fresh.toString(),
    async cleanup() {
      const { default: mongoose } = await import('mongoose');
      const connection = await mongoose.createConnection(fresh.toString(), { serverSelectionTimeoutMS: 30_000 }).asPromise();
      try {
        await connection.dropDatabase();
      } finally {
        await connection.close();
      }
    },
  };
}

const base = (dataDir: string): Record<string, string> => ({
  DATA_DIR: dataDir,
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  ADMIN_EMAIL: 'admin@shop.test',
  ADMIN_PASSWORD: 'admin-password-1',
  REDIS_KEY_PREFIX: `${unique()}:`,
  // Every test customer registers from loopback; the limit itself is tested with its own addresses.
  REGISTER_MAX_PER_IP: '1000',
});

function withDataDir(extra: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>) {
  return async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shop-test-'));
    const more = await extra();
    return {
      env: { ...base(dataDir), ...more.env },
      async cleanup() {
        await more.cleanup();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
}


export const targets: Target[] = [
  { name: 'embedded (PGlite + memory)', env: withDataDir(async () => ({ env: { DATABASE_URL: '', REDIS_URL: '', AMQP_URL: '' }, cleanup: async () => undefined })) },
  ...(postgresUrl && redisUrl
    ? [
        {
          name: amqpUrl ? 'PostgreSQL + Redis + RabbitMQ' : 'PostgreSQL + Redis',
          env: withDataDir(async () => {
            const db = await freshPostgres(postgresUrl);
            // Queues of its own on the broker; the shop deletes them when it closes (helpers/shop.ts).
            const events: Record<string, string> = amqpUrl ? { AMQP_URL: amqpUrl, EVENTS_PREFIX: unique() } : {};
            return { env: { DATABASE_URL: db.url, REDIS_URL: redisUrl, ...events }, cleanup: db.cleanup };
          }),
        },
      ]
    : []),
  ...(mongoUrl
    ? [
        {
          name: 'MongoDB' + (redisUrl ? ' + Redis' : ' + memory'),
          env: withDataDir(async () => {
            const db = freshMongo(mongoUrl);
            const events: Record<string, string> = amqpUrl ? { AMQP_URL: amqpUrl, EVENTS_PREFIX: unique() } : {};
            return { env: { DATABASE_URL: db.url, ...(redisUrl ? { REDIS_URL: redisUrl } : {}), ...events }, cleanup: db.cleanup };
          }),
        },
      ]
    : []),
];

/** Said once per suite, so a run never hides what it did not cover. */
export function skippedTargets(): string[] {
  const notes = [];
  if (!(postgresUrl && redisUrl)) notes.push('PostgreSQL + Redis SKIPPED: set DATABASE_URL=postgres://… and REDIS_URL');
  if (!amqpUrl) notes.push('RabbitMQ SKIPPED: set AMQP_URL=amqp://… to run the real-service target on it (the in-process bus is used)');
  if (!mongoUrl) notes.push(mongoSkipped);
  return notes;
}
