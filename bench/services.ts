/**
 * Storage of its own on the real services, so a bench run neither reads nor leaves other data.
 * A fresh PostgreSQL schema comes from the tests' freshPostgres (test/helpers/targets.ts).
 */
import { randomBytes } from 'node:crypto';

export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** Deletes what the shop wrote under its REDIS_KEY_PREFIX (refresh tokens, login counters). */
export async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
