import t from 'tap';
import { startPayingShop } from './helpers/paying.js';
import { eventually } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

for (const target of targets) {
  t.test(`unpaid card orders expire and give everything back, on ${target.name}`, async (t) => {
    const token = 'test-internal-token';
    // Payments expire after 0.3 s, pending orders after 1 s: the sweep below settles them at once.
    const { stripe, shop, p } = await startPayingShop(t, target, { INTERNAL_TOKEN: token, PAYMENT_TIMEOUT_MINUTES: '0.005', ORDER_PENDING_TIMEOUT: '1s' });
    const { slot, address, left } = await p.zone();
    const card = { address, slotId: slot.id, paymentMethod: 'card' };
    // Called as the schedule calls it (which may get there first: it runs every minute).
    const sweep = async () => (await shop.call('POST', '/function/expire-pending-orders', { headers: { 'x-internal-token': token }, body: {} })).body;
    const cancelled = (who: Parameters<typeof p.order>[0], id: string) =>
      eventually(async () => {
        await sweep();
        const order = await p.order(who, id);
        return order.status === 'cancelled' ? order : null;
      }, 60);

    t.test('nobody pays: cancelled payment_expired, its intent cancelled, stock and slot given back', async (t) => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const before = await left();
      const who = await p.customerWith(product.id, 4);
      const id = (await p.place(who, card)).body.order.id as string;
      const intent = (await p.intentOf(id))!;
      const order = await cancelled(who, id);
      t.match(order, { cancelReason: 'payment_expired' });
      t.ok(order.history.some((h: { status: string }) => h.status === 'awaiting_payment'), 'it waited for its payment first');
      t.ok(await eventually(async () => stripe.intents.get(intent.id)!.status === 'canceled'), 'the intent is cancelled at Stripe');
      t.match(await p.order(who, id), { payment: { status: 'failed' } });
      t.ok(await eventually(async () => (await p.stock(product.id)) === 10 && (await left()) === before), 'stock and slot given back');
      const late = await p.notify('payment_intent.amount_capturable_updated', stripe.authorize(intent.id));
      t.equal(late.answer.body.outcome, 'ignored', 'paid too late: nothing changes');
      t.equal((await p.order(who, id)).status, 'cancelled');
    });

    t.test('Stripe down all along: the order never gets its intent and expires cleanly', async (t) => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const before = await left();
      const who = await p.customerWith(product.id, 2);
      stripe.down = true;
      t.teardown(() => {
        stripe.down = false;
      });
      const id = (await p.place(who, card)).body.order.id as string;
      const order = await cancelled(who, id);
      t.match(order, { cancelReason: 'payment_expired', payment: { status: 'pending', capturedCents: 0 } });
      t.notOk(order.history.some((h: { status: string }) => h.status === 'confirmed'), 'never confirmed unpaid');
      t.ok(await eventually(async () => (await p.stock(product.id)) === 10 && (await left()) === before), 'stock and slot given back');
      t.notOk(stripe.intentOf(id), 'no intent was ever made');
    });
  });
}
