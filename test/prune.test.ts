import { readFileSync } from 'node:fs';
import t from 'tap';
import type { KeyValueStore } from '#domain/ports.js';
import type { Store } from '#domain/store.js';
import { loadConfig } from '#platform/config.js';
import { createPruning, PruneFailed } from '#domain/retention.js';
import { retainedRecords } from '#platform/retention.js';
import { loadStack } from '../runtime/stack.js';
import { captureEvents, eventually, newCustomer, startShop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const HOUR = 3_600_000;

t.test('prune is scheduled daily, as the cron-connector reads it', async (t) => {
  t.match(loadStack('stack.yml').functions.find((f) => f.name === 'prune'), { schedule: '30 3 * * *', topics: [], route: undefined });
});

t.test("the README's Retention table names every retained kind", async (t) => {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Retention');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const named = new Set([...section.matchAll(/\| `([\w-]+)` \|$/gm)].map((m) => m[1]));
  const retained = retainedRecords({ config: loadConfig({}), store: {} as Store, kv: {} as KeyValueStore });
  t.same([...named].sort(), retained.map((kind) => kind.name).sort());
});

for (const target of targets) {
  t.test(`prune removes only what is past its retention, on ${target.name}`, async (t) => {
    const token = 'test-internal-token';
    const shop = await startShop(target, { INTERNAL_TOKEN: token });
    t.teardown(() => shop.close());
    const deps = shop.gateway.deps!;
    const capture = await captureEvents(shop, ['user.deleted']);
    t.teardown(() => capture.stop());

    // Events sent through the outbox, and one handled by forget-user (its record in the key-value store).
    const ann = await newCustomer(shop);
    t.equal((await shop.call('DELETE', '/api/users/me', { token: ann.accessToken, body: { currentPassword: ann.password } })).status, 204);
    const deleted = await capture.find((event) => event.type === 'user.deleted');
    const handled = `events:handled:forget-user:${deleted.id}`;
    t.ok(await eventually(async () => (await deps.kv.get(handled)) === '1'), 'forget-user recorded the event as handled');
    t.ok(await eventually(async () => (await deps.store.outbox.backlog()).unsent === 0), 'every event was sent');

    t.equal((await shop.call('POST', '/function/prune', { body: {} })).status, 403, 'only the platform calls it');
    const now = await shop.call('POST', '/function/prune', { headers: { 'x-internal-token': token }, body: {} });
    t.equal(now.status, 200);
    t.match(now.body, { removed: { 'outbox-sent-events': 0, 'expired-keys': Number } }, 'nothing just sent is past its retention');
    t.equal(await deps.kv.get(handled), '1', 'the handled-event record stays within its 7 days');

    // The same stores, a week and an hour later (OUTBOX_RETENTION_HOURS is 168): the sent events go.
    const later = createPruning({
      retained: retainedRecords({ config: deps.config, store: deps.store, kv: deps.kv }),
      clock: { now: () => new Date(Date.now() + 169 * HOUR) },
    });
    const { 'outbox-sent-events': removed } = await later.prune();
    t.ok(removed >= 3, `the events sent a week ago are removed (${removed})`);
    t.equal((await later.prune())['outbox-sent-events'], 0, 'and only once');
    t.equal(await deps.kv.get(handled), '1', 'what the key-value store keeps is kept for its own TTL');
  });
}

t.test('a kind that cannot be pruned fails the run, after the others were pruned', async (t) => {
  const calls: string[] = [];
  const pruning = createPruning({
    clock: { now: () => new Date('2030-01-01T00:00:00Z') },
    retained: [
      { name: 'broken', keptFor: '1 day', prune: () => Promise.reject(new Error('database down')) },
      {
        name: 'fine',
        keptFor: '1 day',
        prune: (now) => {
          calls.push(now.toISOString());
          return Promise.resolve(2);
        },
      },
    ],
  });
  const error = await pruning.prune().catch((e: unknown) => e);
  t.ok(error instanceof PruneFailed);
  t.same((error as PruneFailed).removed, { fine: 2 }, 'the others ran, at the run\'s time');
  t.same((error as PruneFailed).failures, { broken: 'database down' });
  t.same(calls, ['2030-01-01T00:00:00.000Z']);
});
