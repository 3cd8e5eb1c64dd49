import type { Redis } from 'ioredis';
import type { KeyValueStore } from '#domain/ports.js';

// INCR and start the window in one step, so a crash between the two can't leave a counter without TTL.
const incrementScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** Key-value store on Redis through an ioredis client the caller created (key prefix included). */
export function redisKv(redis: Redis): KeyValueStore {
  return {
    get: (key) => redis.get(key),
    getMany: (keys) => (keys.length ? redis.mget(keys) : Promise.resolve([])),
    // Buffers as ioredis read them off the socket: no UTF-8 decoding of a cached answer.
    getManyBytes: (keys) => (keys.length ? redis.mgetBuffer(keys) : Promise.resolve([])),
    async set(key, value, { ttlSeconds, ifAbsent } = {}) {
      const args: (string | number)[] = ttlSeconds ? ['EX', Math.ceil(ttlSeconds)] : [];
      if (ifAbsent) args.push('NX');
      const answer = await (redis.set as (...a: unknown[]) => Promise<string | null>)(key, value, ...args);
      return answer === 'OK';
    },
    async delete(key) {
      await redis.del(key);
    },
    async increment(key, ttlSeconds) {
      return Number(await redis.eval(incrementScript, 1, key, Math.ceil(ttlSeconds)));
    },
    async addToSet(key, member, ttlSeconds) {
      await redis.multi().sadd(key, member).expire(key, Math.ceil(ttlSeconds)).exec();
    },
    setMembers: (key) => redis.smembers(key),
    async ttl(key) {
      // PTTL: -2 for a missing key, -1 for one without expiry.
      const ms = await redis.pttl(key);
      return ms >= 0 ? ms / 1000 : null;
    },
    // Redis removes expired keys itself (on access, and in its own background cycle).
    removeExpired: () => Promise.resolve(0),
    async close() {
      await redis.quit();
    },
  };
}
