import { readFileSync } from 'node:fs';
import t from 'tap';
import { loadConfig } from '#platform/config.js';
import { functionsFromGateway } from '../runtime/connector.js';
import { createGateway } from '../runtime/gateway.js';
import { loadStack } from '../runtime/stack.js';
import { day, deliveryAdmin, everyDay, stem } from './helpers/delivery.js';
import { scrape } from './helpers/metrics.js';
import { eventually, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const env = { STACK_FILE: 'test/fixtures/schedules/stack.yml' };

/** What the scheduled fixture recorded: calls, distinct ticks, and calls that overlapped another. */
async function record(shop: Shop) {
  const kv = shop.gateway.deps!.kv;
  return {
    calls: Number((await kv.get('fixture:calls')) ?? 0),
    ticks: (await kv.setMembers('fixture:ticks')).length,
    overlaps: Number((await kv.get('fixture:overlaps')) ?? 0),
  };
}

t.test("the README's list of schedules is stack.yml's", async (t) => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Schedules'), readme.indexOf('\n## ', readme.indexOf('## Schedules') + 1));
  const listed = [...section.matchAll(/^\| `([\w-]+)` \| `([^`]+)`/gm)].map(([, name, schedule]) => ({ name, schedule }));
  const scheduled = loadStack('stack.yml').functions.flatMap(({ name, schedule }) => (schedule ? [{ name, schedule }] : []));
  t.same(listed, scheduled);
});

for (const target of targets) {
  t.test(`a scheduled function runs on its schedule, never over itself, on ${target.name}`, async (t) => {
    const shop = await startShop(target, env);
    t.teardown(() => shop.close());
    // Every second, each run 1.5 s: ticks that find the last run going are skipped.
    const seen = await eventually(async () => ((await record(shop)).calls >= 3 ? record(shop) : null), 60);
    t.ok(seen, 'it ran again and again');
    t.equal(seen!.overlaps, 0, 'never two runs at once');
    t.equal(seen!.ticks, seen!.calls, 'each tick ran once');
    // npm run connector reads the same schedules from a gateway's /system/functions.
    t.match(await functionsFromGateway(shop.url)(), [
      { name: 'ticker', topics: [], schedule: '* * * * * *', timeoutMs: 10_000 },
      { name: 'failing', topics: [], schedule: '* * * * * *' },
    ]);
    t.ok((await scrape(`${shop.url}/metrics`)).value('shop_schedule_runs_total', { function_name: 'ticker', outcome: 'succeeded' }) >= 1, 'its runs are counted');
  });

  t.test(`a failing run is logged and counted, and waits for its next tick, on ${target.name}`, async (t) => {
    const shop = await startShop(target, env);
    t.teardown(() => shop.close());
    const kv = shop.gateway.deps!.kv;
    const failing = async () => ({
      calls: Number((await kv.get('fixture:failing:calls')) ?? 0),
      ticks: (await kv.setMembers('fixture:failing:ticks')).length,
    });
    const seen = await eventually(async () => ((await failing()).calls >= 3 ? failing() : null), 60);
    t.ok(seen, 'it is called again at later ticks');
    // A retry of a failed run would call again within its tick: each call has a tick of its own.
    t.equal(seen!.ticks, seen!.calls, 'one call per tick: no retry in a loop');
    const counted = await eventually(async () => {
      const runs = (await scrape(`${shop.url}/metrics`)).value('shop_schedule_runs_total', { function_name: 'failing', outcome: 'failed' });
      return runs >= seen!.calls ? runs : 0;
    });
    t.ok(counted, 'every failed run is counted as failed');
    t.equal((await scrape(`${shop.url}/metrics`)).value('shop_schedule_runs_total', { function_name: 'failing', outcome: 'succeeded' }), 0);
  });
}

const shared = targets.find((target) => target.name.includes('Redis'));
t.test('two runtimes on one store take turns: each tick runs once, never over itself', {
  skip: shared ? false : 'needs PostgreSQL + Redis: SKIPPED',
}, async (t) => {
  const shop = await startShop(shared!, env);
  const other = await createGateway({ stack: loadStack(env.STACK_FILE), config: loadConfig(shop.env), env: shop.env });
  await other.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(async () => {
    await other.app.close();
    await shop.close();
  });
  const seen = await eventually(async () => ((await record(shop)).calls >= 4 ? record(shop) : null), 60);
  t.ok(seen, 'it ran again and again');
  t.equal(seen!.overlaps, 0, 'never two runs at once, across runtimes');
  t.equal(seen!.ticks, seen!.calls, 'each tick ran once, across runtimes');
});

for (const target of targets) {
  t.test(`expire-pending-orders settles orders a lost step left pending, on ${target.name}`, async (t) => {
    // No connector: nothing moves the orders on but what this test calls.
    const token = 'test-internal-token';
    const shop = await startShop(target, { CONNECTOR: 'off', INTERNAL_TOKEN: token, ORDER_PENDING_TIMEOUT: '1s', SHOP_TIMEZONE: 'UTC' });
    t.teardown(() => shop.close());
    const internal = { 'x-internal-token': token };
    const { body: admin } = await shop.call('POST', '/api/auth/login', { body: shop.admin });
    const as = { token: admin.accessToken };
    await shop.call('POST', '/api/categories', { ...as, body: { name: 'Pantry' } });
    const product = (await shop.call('POST', '/api/products', { ...as, body: { name: 'Rice', category: 'pantry', priceCents: 199, stock: 10 } })).body.product;
    const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
    // Without the connector the cart keeps its lines: both orders are for these 3 units.
    await shop.call('POST', '/api/cart/items', { ...as, body: { productId: product.id, quantity: 3 } });
    const place = async (key: string, body: Record<string, unknown> = { address }) =>
      (await shop.call('POST', '/api/orders', { ...as, body, headers: { 'idempotency-key': key } })).body.order;
    const reserveStock = async (placed: { id: string; userId: string; totalCents: number; currency: string }, slotId?: string) => {
      const data = { orderId: placed.id, userId: placed.userId, items: [{ productId: product.id, quantity: 3 }], totalCents: placed.totalCents, currency: placed.currency, slotId };
      const event = { id: `ev-${placed.id}`, type: 'order.placed', occurredAt: new Date().toISOString(), data };
      return (await shop.call('POST', '/function/reserve-stock', { headers: internal, body: event })).status;
    };
    const lost = await place('lost'); // order.placed never handled
    const reserved = await place('reserved'); // stock taken, then confirm-order was dead-lettered
    t.equal(await reserveStock(reserved), 200);
    const stockNow = async () => (await shop.call('GET', `/api/products/${product.id}`)).body.product.stock;
    t.equal(await stockNow(), 7);
    // A slot of one place: the first order takes it, the second is rejected as slot_full and its
    // stock.rejected is lost; the sweep says why it was cancelled.
    const postalCode = `${stem()}1`;
    await deliveryAdmin(shop, admin.accessToken).zone({ name: 'One place', postcodes: [postalCode] }, { slots: everyDay(1), closedDays: [], capacityOverrides: [] });
    const [slot] = await deliveryAdmin(shop, admin.accessToken).slots(postalCode, day(1));
    const inSlot = { address: { ...address, postalCode }, slotId: slot.id };
    const first = await place('first', inSlot);
    const full = await place('full', inSlot);
    t.equal(await reserveStock(first, slot.id), 200);
    t.equal(await reserveStock(full, slot.id), 200);
    t.equal(await stockNow(), 4, 'the order refused for its slot took no stock');

    t.equal((await shop.call('POST', '/function/expire-pending-orders', { body: {} })).status, 403, 'only the platform calls it');
    // Called as the schedule calls it (which may also get there first: it runs every minute).
    const order = async (id: string) => (await shop.call('GET', `/api/orders/${id}`, as)).body.order;
    await eventually(async () => {
      await shop.call('POST', '/function/expire-pending-orders', { headers: internal, body: {} });
      const ids = [lost.id, reserved.id, first.id, full.id];
      return (await Promise.all(ids.map(order))).every((o) => o.status !== 'pending');
    });
    t.match(await order(reserved.id), { status: 'confirmed' }, 'its stock was reserved: confirmed');
    t.match(await order(first.id), { status: 'confirmed' }, 'its stock and slot were reserved: confirmed');
    t.match(await order(full.id), { status: 'cancelled', cancelReason: 'slot_full' }, 'rejected for its full slot: cancelled as slot_full');
    t.match(await order(lost.id), { status: 'cancelled', cancelReason: 'expired' }, 'nothing decided: cancelled as expired');
    t.same((await shop.call('POST', '/function/expire-pending-orders', { headers: internal, body: {} })).body, { confirmed: 0, cancelled: 0, paymentExpired: 0 }, 'a second run finds nothing');
  });
}
