import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';
import type { DomainEvent, Outbox } from '#domain/ports.js';

const anEvent = (type = 'thing.happened', data: unknown = { n: 1 }): DomainEvent => ({
  id: randomBytes(8).toString('hex'),
  type,
  occurredAt: new Date().toISOString(),
  data,
  callId: 'call-1',
});

const ids = (events: DomainEvent[]) => events.map((e) => e.id);

/** What every Outbox must do for the relays: order, leases, several relays at once, pruning, watching. */
export function outboxContract(t: Test, open: () => Promise<{ outbox: Outbox; close(): Promise<void> }>) {
  let store: { outbox: Outbox; close(): Promise<void> };
  t.beforeEach(async () => {
    store = await open();
  });
  t.afterEach(() => store.close());

  t.test('events come out in the order they were written, exactly as stored', async (t) => {
    const written = Array.from({ length: 5 }, (_, i) => anEvent('thing.happened', { i, nested: { list: [i] } }));
    for (const event of written) await store.outbox.add([event]);
    const both = [anEvent(), anEvent()];
    await store.outbox.add(both);
    t.same(await store.outbox.pending(100), [...written, ...both]);
    t.same(await store.outbox.claim(100, 30), [...written, ...both]);
  });

  t.test('the backlog counts what waits unsent and says when the oldest happened', async (t) => {
    t.same(await store.outbox.backlog(), { unsent: 0, oldestOccurredAt: null });
    const [a, b] = [{ ...anEvent(), occurredAt: '2026-01-01T00:00:00.000Z' }, anEvent()];
    await store.outbox.add([a, b]);
    t.same(await store.outbox.backlog(), { unsent: 2, oldestOccurredAt: a.occurredAt });
    await store.outbox.markSent([a.id]);
    t.same(await store.outbox.backlog(), { unsent: 1, oldestOccurredAt: b.occurredAt });
  });

  t.test('a claimed event is held: nobody else claims it until it is released or its lease ends', async (t) => {
    const [a, b, c] = [anEvent(), anEvent(), anEvent()];
    await store.outbox.add([a, b, c]);
    t.same(ids(await store.outbox.claim(2, 30)), [a.id, b.id]);
    t.same(ids(await store.outbox.claim(10, 30)), [c.id], 'only what nobody holds');
    t.same(await store.outbox.claim(10, 30), []);
    await store.outbox.release([b.id]);
    t.same(ids(await store.outbox.claim(10, 30)), [b.id], 'released: claimable at once');
    await store.outbox.markSent([a.id, b.id]);
    t.same(ids(await store.outbox.pending(10)), [c.id], 'sent events are no longer pending');

    const late = anEvent();
    await store.outbox.add([late]);
    t.same(ids(await store.outbox.claim(10, 1)), [late.id]);
    await sleep(1500);
    t.same(ids(await store.outbox.claim(10, 30)), [late.id], 'a lease that ended is claimed again; c is still held');
  });

  t.test('relays claiming at the same time share the events: none twice, none skipped', async (t) => {
    const written = Array.from({ length: 60 }, () => anEvent());
    await store.outbox.add(written);
    const claimed = await Promise.all(Array.from({ length: 6 }, () => store.outbox.claim(15, 30)));
    const all = claimed.flatMap(ids);
    t.equal(new Set(all).size, all.length, 'no event claimed twice');
    const rest = await store.outbox.claim(100, 30);
    t.same([...all, ...ids(rest)].sort(), ids(written).sort(), 'every event claimed once');
  });

  t.test('a sent event is never claimed again; prune deletes only what was sent before the date', async (t) => {
    const [sent, unsent] = [anEvent(), anEvent()];
    await store.outbox.add([sent, unsent]);
    await store.outbox.claim(10, 30);
    await store.outbox.markSent([sent.id]);
    await store.outbox.release([sent.id, unsent.id]);
    t.same(ids(await store.outbox.claim(10, 30)), [unsent.id], 'releasing a sent event does not bring it back');
    t.equal(await store.outbox.prune(new Date(Date.now() - 60_000)), 0, 'nothing sent that long ago');
    t.equal(await store.outbox.prune(new Date(Date.now() + 60_000)), 1);
    t.same(ids(await store.outbox.pending(10)), [unsent.id], 'unsent events are kept');
  });

  t.test('watch calls back soon after events are committed', async (t) => {
    let calls = 0;
    const stop = await store.outbox.watch(() => (calls += 1));
    t.teardown(stop);
    await store.outbox.add([anEvent()]);
    for (let i = 0; i < 200 && !calls; i++) await sleep(25);
    t.ok(calls >= 1, 'notified');
  });
}
