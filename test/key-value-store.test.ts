import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import { memoryKv } from '#adapters/memory-kv.js';
import { redisKv } from '#adapters/redis-kv.js';
import { keyValueStoreContract } from './contracts/key-value-store.js';
import { redisUrl } from './helpers/targets.js';

t.test('memory key-value store', async (t) => keyValueStoreContract(t, async () => memoryKv()));

t.test('redis key-value store', { skip: redisUrl ? false : 'REDIS_URL not set: Redis suite SKIPPED' }, async (t) =>
  keyValueStoreContract(t, async () => redisKv(new Redis(redisUrl!, { keyPrefix: `test:${randomBytes(4).toString('hex')}:` }))),
);
