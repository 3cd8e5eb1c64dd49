import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { eventFactory, eventInfo, eventNames } from '#domain/events.js';
import { orderSaga, sagaTimeout } from '#domain/orders/saga.js';
import type { FunctionDefinition } from '#platform/define-function.js';
import { architectureSections, consumersOf, withSections } from '#platform/event-docs.js';
import { eventProblem } from './helpers/events.js';
import { referenceDocument } from './helpers/openapi.js';
import { imageForm, png } from './helpers/images.js';
import { paying } from './helpers/paying.js';
import { startStripeStandIn } from './helpers/stripe-stand-in.js';
import { adminToken, captureEvents, eventually, newCustomer, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';
import { loadStack } from '../runtime/stack.js';

/** The event catalog (domain/events.ts) against stack.yml, the docs, the reference and what the shop really emits. */
for (const note of skippedTargets()) t.comment(note);
const stack = loadStack('stack.yml');
const byName = new Map(stack.functions.map((f) => [f.name, f]));
const definition = async (name: string): Promise<FunctionDefinition> =>
  (await import(pathToFileURL(join(byName.get(name)!.handler, 'index.ts')).href)).default;

t.test('a misspelt name or a payload of another shape does not compile, and is caught at run time', async (t) => {
  const event = eventFactory(() => 'e1', { now: () => new Date('2026-01-01T00:00:00Z') });
  const lines = { orderId: 'o1', userId: 'u1', items: [{ productId: 'p1', quantity: 2 }] };
  const good = event('order.placed', { ...lines, totalCents: 500, currency: 'USD' }, { callId: 'c1' });
  t.same(good, { id: 'e1', type: 'order.placed', occurredAt: '2026-01-01T00:00:00.000Z', data: { ...lines, totalCents: 500, currency: 'USD' }, callId: 'c1' });
  t.equal(eventProblem(good), null, 'it fits the catalog');
  // @ts-expect-error a name the catalog does not have
  const misspelt = event('order.plcaed', lines);
  t.match(eventProblem(misspelt), /not an event of the catalog/);
  // @ts-expect-error a field missing (totalCents, currency)
  const missing = event('order.placed', lines);
  t.match(eventProblem(missing), /totalCents/);
  // @ts-expect-error a field of another type
  const wrongType = event('order.status_changed', { ...lines, from: 'confirmed', to: 'sent', by: 'u1' });
  t.match(eventProblem(wrongType), /to:/);
  // @ts-expect-error a field the catalog does not name
  const extra = event('stock.reserved', { orderId: 'o1', order: 'o1' });
  t.match(eventProblem(extra), /fields the catalog does not name/);
});

t.test('every catalog event names what it means and functions that exist as its producers', async (t) => {
  for (const name of eventNames) {
    const { description, producers } = eventInfo(name);
    t.ok(description, `${name}: a description`);
    t.ok(producers.length, `${name}: emitted by some function`);
    for (const producer of producers) t.ok(byName.has(producer), `${name}: its producer ${producer} is in stack.yml`);
  }
});

t.test('the saga module is what stack.yml and the handlers say', async (t) => {
  for (const step of orderSaga) {
    const spec = byName.get(step.fn);
    t.ok(spec, `${step.fn}: in stack.yml`);
    t.same(spec?.topics, [step.on], `${step.fn}: topic ${step.on}`);
    t.equal((await definition(step.fn)).on, step.on, `${step.fn}: its handler is on ${step.on}`);
    for (const emitted of step.emits) t.ok(eventInfo(emitted).producers.includes(step.fn), `${step.fn}: the catalog names it a producer of ${emitted}`);
  }
  // Every function reacting to an order or stock event is a step of the saga, but for the mails
  // (send-*-mail), which tell the customer and change nothing the saga reads.
  const reacting = stack.functions
    .filter((f) => f.topics.some((topic) => /^(order|stock)\./.test(topic)) && !/^send-.*-mail$/.test(f.name))
    .map((f) => f.name);
  t.same(reacting.sort(), orderSaga.map((s) => s.fn).sort(), 'every function on an order or stock event is a step (or a mail)');
  t.equal(byName.get(sagaTimeout.fn)?.schedule !== undefined, true, `${sagaTimeout.fn}: runs on a schedule`);
  for (const emitted of sagaTimeout.emits) t.ok(eventInfo(emitted).producers.includes(sagaTimeout.fn), `${sagaTimeout.fn}: a producer of ${emitted}`);
});

t.test("docs/architecture.md's event and saga tables are generated from the catalog (npm run docs:events)", async (t) => {
  const text = readFileSync('docs/architecture.md', 'utf8');
  t.equal(text, withSections(text, architectureSections(consumersOf(stack.functions))), 'up to date: run npm run docs:events');
  for (const name of eventNames) t.match(text, `| \`${name}\` |`, `${name} is in the table`);
});

t.test('the API reference lists every event as a webhook with its data schema', async (t) => {
  const { webhooks } = (await referenceDocument()) as unknown as { webhooks: Record<string, { post: Record<string, unknown> }> };
  t.same(Object.keys(webhooks).sort(), [...eventNames].sort());
  const placed = webhooks['order.placed'].post as { requestBody: { content: { 'application/json': { schema: { properties: { data: { required: string[] } } } } } } };
  t.same(placed.requestBody.content['application/json'].schema.properties.data.required.sort(), ['currency', 'items', 'orderId', 'totalCents', 'userId']);
  t.same(webhooks['order.placed'].post['x-consumers'], ['reserve-stock', 'send-order-placed-mail']);
});

/** Waits until nothing is on its way: the outbox sent, every queue handled. */
async function quiet(shop: Shop) {
  return eventually(async () => {
    const outbox = (await shop.call('GET', '/system/outbox')).body as { unsent: number };
    const queues = (await shop.call('GET', '/system/queues')).body as { name: string; ready: number; unacked: number }[];
    return outbox.unsent === 0 && queues.every((q) => q.name === '(unrouted)' || (!q.ready && !q.unacked));
  }, 60);
}

for (const target of targets) {
  t.test(`every event the shop emits fits the catalog on ${target.name}`, async (t) => {
    // A cart idle for 0.72 s is abandoned, so one run of remind-abandoned-carts finds it.
    const stripe = await startStripeStandIn();
    const shop = await startShop(target, { ABANDONED_CART_HOURS: '0.0002', ...stripe.env });
    t.teardown(async () => {
      await shop.close();
      await stripe.close();
    });
    const published = await captureEvents(shop);
    t.teardown(published.stop);
    const admin = await adminToken(shop);
    const as = (token: string) => ({ token });
    const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

    // Accounts: register, a new password, a reset and a verification asked for, a new email.
    const ann = await newCustomer(shop, 'Ann');
    const newPassword = 'another horse 2';
    t.equal((await shop.call('PATCH', '/api/users/me', { ...as(ann.accessToken), body: { password: newPassword, currentPassword: ann.password } })).status, 200);
    t.equal((await shop.call('POST', '/api/auth/password-reset', { body: { email: ann.email } })).status, 202);
    t.equal((await shop.call('POST', '/api/auth/verify-email/resend', as(ann.accessToken))).status, 202);
    const newEmail = `ann-${randomBytes(4).toString('hex')}@example.com`;
    t.equal((await shop.call('PATCH', '/api/users/me', { ...as(ann.accessToken), body: { email: newEmail, currentPassword: newPassword } })).status, 200);

    // The catalog: a category renamed and moved, a product written every way, then both deleted.
    const slug = `c-${randomBytes(3).toString('hex')}`;
    t.equal((await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Old', slug } })).status, 201);
    t.equal((await shop.call('PATCH', `/api/categories/${slug}`, { ...as(admin), body: { name: 'Moved', slug: `${slug}-2` } })).status, 200);
    const product = async (stock: number) =>
      (await shop.call('POST', '/api/products', { ...as(admin), body: { name: `P ${randomBytes(3).toString('hex')}`, category: `${slug}-2`, priceCents: 250, stock } })).body.product as { id: string };
    const gone = await product(1);
    t.equal((await shop.call('PATCH', `/api/products/${gone.id}`, { ...as(admin), body: { priceCents: 300, stockDelta: 2 } })).status, 200);
    t.equal((await shop.call('POST', `/api/products/${gone.id}/image`, { ...as(admin), form: imageForm({}, { bytes: png(), type: 'image/png' }) })).status, 200);
    t.equal((await shop.call('DELETE', `/api/products/${gone.id}`, as(admin))).status, 204);

    // Orders: one confirmed and shipped, one cancelled by its customer, one short of stock, one
    // cancelled because its customer deleted the account.
    const rice = await product(20);
    const order = async (who: typeof ann, quantity: number) => {
      await shop.call('POST', '/api/cart/items', { ...as(who.accessToken), body: { productId: rice.id, quantity } });
      const placed = await shop.call('POST', '/api/orders', { ...as(who.accessToken), body: { address }, headers: { 'idempotency-key': randomBytes(6).toString('hex') } });
      t.equal(placed.status, 202);
      const id = placed.body.order.id as string;
      const settled = await eventually(async () => {
        const now = (await shop.call('GET', `/api/orders/${id}`, as(who.accessToken))).body.order;
        return now.status === 'pending' ? null : (now as { id: string; status: string });
      }, 60);
      if (!settled) throw new Error(`order ${id} stayed pending`);
      return settled;
    };
    const shipped = await order(ann, 2);
    t.equal(shipped.status, 'confirmed');
    // Packed short before it ships (order.packed).
    t.equal((await shop.call('PATCH', `/api/admin/orders/${shipped.id}/lines/${rice.id}`, { ...as(admin), body: { packedQuantity: 1 } })).status, 200);
    t.equal((await shop.call('PATCH', `/api/orders/${shipped.id}/status`, { ...as(admin), body: { status: 'shipped' } })).status, 200);
    const cancelled = await order(ann, 1);
    t.equal((await shop.call('POST', `/api/orders/${cancelled.id}/cancel`, as(ann.accessToken))).status, 200);
    t.equal((await shop.call('PATCH', `/api/products/${rice.id}`, { ...as(admin), body: { onHand: 3 } })).status, 200);
    t.equal((await order(ann, 99)).status, 'cancelled', 'more than the stock: rejected');
    // Payments: a card order authorised, shipped (captured) and refunded in part; one cancelled
    // once authorised (voided); cash recorded at delivery.
    const p = paying(shop, admin, stripe);
    const cardOrder = async () => {
      const who = await newCustomer(shop, 'Cy');
      await shop.call('POST', '/api/cart/items', { ...as(who.accessToken), body: { productId: rice.id, quantity: 1 } });
      const id = (await p.place(who, { address, paymentMethod: 'card' })).body.order.id as string;
      await p.until(who, id, 'awaiting_payment');
      const intent = stripe.authorize((await p.intentOf(id))!.id);
      t.equal((await p.notify('payment_intent.amount_capturable_updated', intent)).answer.body.outcome, 'applied');
      return { who, id };
    };
    const paid = await cardOrder();
    t.equal((await shop.call('PATCH', `/api/orders/${paid.id}/status`, { ...as(admin), body: { status: 'shipped' } })).status, 200);
    t.equal((await shop.call('POST', `/api/admin/orders/${paid.id}/refunds`, { ...as(admin), body: { amountCents: 50, reason: 'dented tin' } })).status, 201);
    const voided = await cardOrder();
    t.equal((await shop.call('POST', `/api/orders/${voided.id}/cancel`, as(voided.who.accessToken))).status, 200);
    t.equal((await shop.call('PATCH', `/api/orders/${shipped.id}/status`, { ...as(admin), body: { status: 'delivered' } })).status, 200);
    const bob = await newCustomer(shop, 'Bob');
    t.equal((await order(bob, 1)).status, 'confirmed');
    t.equal((await shop.call('DELETE', '/api/users/me', { ...as(bob.accessToken), body: { currentPassword: bob.password } })).status, 204);
    await eventually(async () => published.events.some((e) => e.type === 'order.cancelled' && (e.data as { reason: string }).reason === 'account_deleted'), 60);
    // Carts: one left with its items by a customer who opted in to marketing mail.
    const cat = await newCustomer(shop, 'Cat');
    t.equal((await shop.call('PATCH', '/api/users/me', { ...as(cat.accessToken), body: { marketingEmails: true } })).status, 200);
    t.equal((await shop.call('POST', '/api/cart/items', { ...as(cat.accessToken), body: { productId: rice.id, quantity: 1 } })).status, 200);
    const internal = { 'x-internal-token': shop.gateway.deps!.config.internalToken ?? '' };
    const remind = async () => (await shop.call('POST', '/function/remind-abandoned-carts', { headers: internal, body: {} })).body as { reminded: number };
    t.ok(await eventually(async () => (await remind()).reminded > 0 || null, 60), 'the idle cart was reminded of');
    const product2 = await product(0);
    await shop.call('DELETE', `/api/products/${product2.id}`, as(admin));
    await shop.call('DELETE', `/api/products/${rice.id}`, as(admin));
    t.equal((await shop.call('DELETE', `/api/categories/${slug}-2`, as(admin))).status, 204);
    t.ok(await quiet(shop), 'every event was delivered');

    t.same(published.problems, [], 'every published event fits its schema in the catalog');
    for (const event of published.events) t.equal(eventProblem(event), null, `${event.type} ${JSON.stringify(event.data).slice(0, 80)}`);
    const seen = new Set(published.events.map((e) => e.type));
    const unseen = eventNames.filter((name) => !seen.has(name));
    // A new event of the catalog needs a flow above that emits it, so its schema is held to the code.
    t.same(unseen, [], 'the flows above emit every event of the catalog');
  });
}
