import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { memoryKv } from '#adapters/memory-kv.js';
import { redisKv } from '#adapters/redis-kv.js';
import { versionedCache, MISS_TTL_SECONDS, type VersionedCache } from '#domain/versioned-cache.js';
import type { KeyValueStore, SetOptions } from '#domain/ports.js';
import { redisUrl } from './helpers/targets.js';

/** What a cached answer holds: the cache keeps and answers JSON text. */
const read = async <T>(cache: VersionedCache, key: string, load: () => Promise<T>) => JSON.parse(await cache.text(key, load)) as T;

/** The versioned cache (catalog, profiles) on every key-value store: read-through, and nothing stale after invalidate. */
function versionedCacheContract(t: Test, build: () => KeyValueStore) {
  let kv: KeyValueStore;
  t.beforeEach(() => {
    kv = build();
  });
  t.afterEach(() => kv.close());

  t.test('reads through once, then answers from the cache', async (t) => {
    const cache = versionedCache(kv, 60);
    let loads = 0;
    const load = async () => ({ n: ++loads, at: 'x' });
    t.same(await read(cache, 'a', load), { n: 1, at: 'x' });
    t.same(await read(cache, 'a', load), { n: 1, at: 'x' });
    t.same(await read(cache, 'b', load), { n: 2, at: 'x' }, 'another key loads');
    t.equal(await read(cache, 'missing', async () => null), null, 'null is an answer too');
  });

  t.test('after invalidate no read sees an older answer, even one a racing reader stored', async (t) => {
    const cache = versionedCache(kv, 60);
    let value = 'old';
    t.equal(await read(cache, 'k', async () => value), 'old');
    // A reader that loaded before the write finishes storing after it.
    let release: (() => void) | undefined;
    const racing = read(cache, 'slow', () => new Promise<string>((resolve) => (release = () => resolve('old'))));
    while (!release) await new Promise((r) => setTimeout(r, 5)); // the reader has read the version
    value = 'new';
    await cache.invalidate();
    release();
    t.equal(await racing, 'old', 'the racing reader itself got what it read');
    t.equal(await read(cache, 'k', async () => value), 'new');
    t.equal(await read(cache, 'slow', async () => value), 'new', 'its late entry is never seen');
  });

  t.test('after drop no read of that key sees an older answer, even one a racing reader stored; the others stay', async (t) => {
    const cache = versionedCache(kv, 60, { namespace: 'drops' });
    let loads = 0;
    t.equal(await read(cache, 'other', async () => ++loads), 1);
    // A reader that loaded the product before its stock moved stores its answer after the move.
    let release: (() => void) | undefined;
    const racing = read(cache, 'product', () => new Promise<string>((resolve) => (release = () => resolve('stock 10'))));
    while (!release) await new Promise((r) => setTimeout(r, 5)); // the reader has read version and generation
    await cache.drop('product');
    release();
    t.equal(await racing, 'stock 10', 'the racing reader itself got what it read');
    t.equal(await read(cache, 'product', async () => 'stock 9'), 'stock 9', 'its late entry is never seen');
    t.equal(await read(cache, 'product', async () => 'unused'), 'stock 9', 'and the new answer is cached');
    t.equal(await read(cache, 'other', async () => ++loads), 1, 'other keys stay cached');
  });

  t.test('a version that went (expired, or dropped by a bounded store) takes its entries with it', async (t) => {
    const cache = versionedCache(kv, 60, { namespace: 'gone' });
    t.equal(await read(cache, 'k', async () => 'old'), 'old');
    await kv.delete('gone:version');
    t.equal(await read(cache, 'k', async () => 'new'), 'new', 'a new random version, under which nothing older is found');
  });

  t.test('a TTL of 0 turns the cache off', async (t) => {
    const cache = versionedCache(kv, 0);
    let loads = 0;
    await read(cache, 'a', async () => ++loads);
    t.equal(await read(cache, 'a', async () => ++loads), 2);
  });

  t.test('a miss is kept a few seconds only; each version holds at most maxEntries answers', async (t) => {
    const ttls: (number | undefined)[] = [];
    const recording: KeyValueStore = {
      ...kv,
      set: (key: string, value: string, options?: SetOptions) => {
        if (!key.endsWith(':version')) ttls.push(options?.ttlSeconds);
        return kv.set(key, value, options);
      },
    };
    const cache = versionedCache(recording, 60, { maxEntries: 3 });
    await read(cache, 'product:made-up', async () => null);
    await read(cache, 'product:real', async () => ({ id: 'real' }));
    t.same(ttls, [MISS_TTL_SECONDS, 60], 'null for 5 s, an answer for the full TTL');
    let loads = 0;
    for (const key of ['a', 'b', 'c', 'd']) await read(cache, key, async () => ++loads);
    t.equal(ttls.length, 3, 'the 4th answer of this version is not stored');
    t.equal(await read(cache, 'd', async () => ++loads), 5, 'so it loads again');
    await cache.invalidate();
    await read(cache, 'd', async () => ++loads);
    t.equal(ttls.length, 4, 'a new version has room again');
  });

  t.test('json answers a miss as the text just written and a hit as the stored bytes', async (t) => {
    const cache = versionedCache(kv, 60);
    const answer = { name: 'Crème fraîche', price: '4,50 €' };
    const first = await cache.json('k', async () => answer);
    t.equal(typeof first, 'string', 'loaded: the text');
    const second = await cache.json('k', async () => t.fail('not loaded again'));
    t.ok(second instanceof Uint8Array, 'cached: bytes');
    t.equal(new TextDecoder().decode(second as Uint8Array), first, 'the same JSON, no tag before it');
    t.equal(await cache.text('k', async () => null), first, 'text decodes a hit');
  });

  t.test('two caches on one store (two processes) see each other\'s invalidation', async (t) => {
    const [one, two] = [versionedCache(kv, 60), versionedCache(kv, 60)];
    t.equal(await read(one, 'k', async () => 'old'), 'old');
    await two.invalidate();
    t.equal(await read(one, 'k', async () => 'new'), 'new');
  });
}

t.test('versioned cache on the memory store', async (t) => versionedCacheContract(t, () => memoryKv()));
t.test('versioned cache on Redis', { skip: redisUrl ? false : 'REDIS_URL not set: Redis suite SKIPPED' }, async (t) =>
  versionedCacheContract(t, () => redisKv(new Redis(redisUrl!, { keyPrefix: `test:${randomBytes(4).toString('hex')}:` }))),
);
