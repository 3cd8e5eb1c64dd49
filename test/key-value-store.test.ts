import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import { memoryKv } from '#adapters/memory-kv.js';
import { redisKv } from '#adapters/redis-kv.js';
import { keyValueStoreContract } from './contracts/key-value-store.js';
import { redisUrl } from './helpers/targets.js';

t.test('memory key-value store', async (t) => keyValueStoreContract(t, async () => memoryKv()));

t.test('a bounded memory store drops the least recently used keys, never more than it must', async (t) => {
  const kv = memoryKv({ maxBytes: 64 * 1024 });
  t.teardown(() => kv.close());
  const page = 'x'.repeat(1000);
  await kv.set('kept', page);
  for (let i = 0; i < 200; i++) {
    await kv.set(`page:${i}`, page);
    await kv.get('kept'); // read often, so it stays
  }
  t.equal(await kv.get('kept'), page, 'a key in use stays');
  t.equal(await kv.get('page:0'), null, 'the oldest unused key went');
  t.equal(await kv.get('page:199'), page, 'the newest is there');
  const stored = (await kv.getMany(Array.from({ length: 200 }, (_, i) => `page:${i}`))).filter(Boolean).length;
  t.ok(stored > 10 && stored < 40, `about 64 KiB of 2 KiB entries kept (${stored})`);
});

t.test('the memory store removes expired keys at prune, and says how many', async (t) => {
  let now = 1_000_000;
  const kv = memoryKv({ now: () => now });
  t.teardown(() => kv.close());
  await kv.set('token', 'v', { ttlSeconds: 30 * 60 });
  await kv.set('handled', '1', { ttlSeconds: 7 * 24 * 3600 });
  await kv.addToSet('sessions', 's', 3600);
  now += 3600 * 1000;
  t.equal(await kv.removeExpired(), 2, 'the token and the set, past their TTL');
  t.equal(await kv.get('handled'), '1', 'a record within its retention stays');
  now += 7 * 24 * 3600 * 1000;
  t.equal(await kv.removeExpired(), 1);
});

t.test('redis key-value store', { skip: redisUrl ? false : 'REDIS_URL not set: Redis suite SKIPPED' }, async (t) =>
  keyValueStoreContract(t, async () => redisKv(new Redis(redisUrl!, { keyPrefix: `test:${randomBytes(4).toString('hex')}:` }))),
);
