import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';
import type { KeyValueStore } from '#domain/ports.js';

/** What every KeyValueStore adapter must do; each adapter's test file runs this with its builder. */
export function keyValueStoreContract(t: Test, build: () => Promise<KeyValueStore>) {
  let kv: KeyValueStore;
  t.beforeEach(async () => {
    kv = await build();
  });
  t.afterEach(() => kv.close());

  t.test('get, set, delete', async (t) => {
    t.equal(await kv.get('a'), null);
    t.equal(await kv.set('a', 'one'), true);
    t.equal(await kv.get('a'), 'one');
    t.equal(await kv.set('a', 'two'), true, 'overwrites');
    t.equal(await kv.get('a'), 'two');
    await kv.delete('a');
    t.equal(await kv.get('a'), null);
    await kv.delete('never-there');
  });

  t.test('getMany keeps the order and answers null for missing keys', async (t) => {
    await kv.set('x', '1');
    await kv.set('z', '3');
    t.same(await kv.getMany(['x', 'y', 'z']), ['1', null, '3']);
    t.same(await kv.getMany([]), []);
  });

  t.test('getManyBytes answers the same values as UTF-8 bytes', async (t) => {
    await kv.set('text', 'prix 4,50 € — “bio”');
    await kv.set('empty', '');
    const [text, missing, empty] = await kv.getManyBytes(['text', 'missing', 'empty']);
    t.ok(text instanceof Uint8Array, 'bytes');
    t.equal(new TextDecoder().decode(text!), 'prix 4,50 € — “bio”');
    t.equal(missing, null);
    t.equal(empty?.length, 0, 'an empty value is no bytes, not missing');
    t.same(await kv.getManyBytes([]), []);
  });

  t.test('ifAbsent sets only once', async (t) => {
    t.equal(await kv.set('once', 'first', { ifAbsent: true }), true);
    t.equal(await kv.set('once', 'second', { ifAbsent: true }), false);
    t.equal(await kv.get('once'), 'first');
  });

  t.test('only one of many concurrent ifAbsent writers wins', async (t) => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => kv.set('race', String(i), { ifAbsent: true })));
    t.equal(results.filter(Boolean).length, 1);
  });

  t.test('values expire after their TTL', async (t) => {
    await kv.set('short', 'v', { ttlSeconds: 1 });
    await kv.set('long', 'v', { ttlSeconds: 60 });
    t.equal(await kv.get('short'), 'v');
    await sleep(1100);
    t.equal(await kv.get('short'), null);
    t.equal(await kv.get('long'), 'v');
    t.equal(await kv.set('short', 'again', { ifAbsent: true }), true, 'an expired key counts as absent');
  });

  t.test('removeExpired removes only keys past their TTL', async (t) => {
    await kv.set('gone', 'v', { ttlSeconds: 1 });
    await kv.addToSet('gone-set', 'm', 1);
    await kv.set('kept', 'v', { ttlSeconds: 60 });
    await kv.set('forever', 'v');
    await kv.addToSet('kept-set', 'm', 60);
    await sleep(1100);
    const removed = await kv.removeExpired();
    t.ok(removed === 0 || removed === 2, 'the two expired keys, unless the store removed them itself');
    t.equal(await kv.get('gone'), null);
    t.same(await kv.setMembers('gone-set'), []);
    t.equal(await kv.get('kept'), 'v', 'a key within its TTL stays');
    t.equal(await kv.get('forever'), 'v', 'a key without TTL stays');
    t.same(await kv.setMembers('kept-set'), ['m']);
    t.equal(await kv.removeExpired(), 0, 'nothing left to remove');
  });

  t.test('increment counts within a window that starts at the first increment', async (t) => {
    t.equal(await kv.increment('hits', 1), 1);
    t.equal(await kv.increment('hits', 1), 2);
    const parallel = await Promise.all(Array.from({ length: 10 }, () => kv.increment('hits', 1)));
    t.same([...parallel].sort((a, b) => a - b), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'no lost updates');
    await sleep(1100);
    t.equal(await kv.increment('hits', 1), 1, 'a new window');
  });

  t.test('sets: members added once, listed, expiring with their TTL, removed with delete', async (t) => {
    t.same(await kv.setMembers('fams'), []);
    await kv.addToSet('fams', 'a', 60);
    await kv.addToSet('fams', 'b', 60);
    await kv.addToSet('fams', 'a', 60);
    t.same((await kv.setMembers('fams')).sort(), ['a', 'b']);
    await kv.delete('fams');
    t.same(await kv.setMembers('fams'), []);
    await kv.addToSet('brief', 'x', 1);
    await sleep(1100);
    t.same(await kv.setMembers('brief'), [], 'gone with its TTL');
  });

  t.test('ttl tells the time left in a window, and null for a key that is missing or never expires', async (t) => {
    t.equal(await kv.ttl('nothing'), null);
    await kv.set('forever', 'v');
    t.equal(await kv.ttl('forever'), null);
    await kv.set('soon', 'v', { ttlSeconds: 60 });
    const left = await kv.ttl('soon');
    t.ok(left !== null && left > 0 && left <= 60, `0 < ${left} <= 60`);
    await kv.increment('window', 120);
    await kv.increment('window', 120);
    const window = await kv.ttl('window');
    t.ok(window !== null && window > 60 && window <= 120, 'the window started with the first increment');
  });
}
