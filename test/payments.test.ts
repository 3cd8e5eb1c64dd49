import t from 'tap';
import { startPayingShop, WEBHOOK } from './helpers/paying.js';
import { eventually, newCustomer } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

for (const target of targets) {
  t.test(`card and cash payments over HTTP on ${target.name}`, async (t) => {
    const { stripe, shop, admin, p } = await startPayingShop(t, target);
    const { zone, slot, address, left } = await p.zone({ feeCents: 300 });
    const card = { address, slotId: slot.id, paymentMethod: 'card' };
    const patch = (id: string, status: string) => shop.call('PATCH', `/api/orders/${id}/status`, { token: admin, body: { status } });
    const refund = (id: string, body: unknown, token = admin) => shop.call('POST', `/api/admin/orders/${id}/refunds`, { token, body });
    /** A new customer's card order for one product at 10.00, awaiting its payment, the card authorised at Stripe (the shop not told yet). */
    const authorisedAtStripe = async () => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const who = await p.customerWith(product.id, 1);
      const id = (await p.place(who, card)).body.order.id as string;
      await p.until(who, id, 'awaiting_payment');
      return { who, id, intent: stripe.authorize((await p.intentOf(id))!.id) };
    };
    t.ok(zone.id);

    t.test('a card order from cart to captured and delivered, then refunded in part, never above what was taken', async (t) => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const who = await p.customerWith(product.id, 2);
      const placed = await p.place(who, card);
      t.equal(placed.status, 202, placed.text);
      t.match(placed.body.order.payment, { method: 'card', status: 'pending', amountCents: 2300, capturedCents: 0 }, 'lines 2000 and fee 300');
      const id = placed.body.order.id as string;
      const awaiting = await p.until(who, id, 'awaiting_payment');
      t.match(awaiting.payment, { status: 'pending', clientSecret: /_secret_/ }, 'its owner gets the client secret to pay with');
      t.notOk((await p.order(admin, id)).payment.clientSecret, 'nobody else does, not even an admin');
      const intent = await p.intentOf(id);
      t.match(intent, { amount: 2300, currency: 'usd', capture_method: 'manual', metadata: { orderId: id } });
      t.ok(stripe.requests.some((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === `order-${id}-intent`), "the intent's idempotency key is the order's");
      t.equal(await p.stock(product.id), 8, 'its stock is held');

      stripe.authorize(intent!.id);
      const authorized = await p.notify('payment_intent.amount_capturable_updated', intent!);
      t.same(authorized.answer.body, { received: true, outcome: 'applied' });
      const confirmed = await p.order(who, id);
      t.match(confirmed, { status: 'confirmed', payment: { status: 'authorized', amountCents: 2300 } });
      t.notOk(confirmed.payment.clientSecret, 'paid: the secret is no longer shown');
      t.same((await p.resend(authorized)).body, { received: true, outcome: 'duplicate' }, 'the same event again');
      t.equal((await p.notify('payment_intent.payment_failed', intent!)).answer.body.outcome, 'ignored', 'a late failure of an earlier attempt');
      t.equal((await p.order(who, id)).status, 'confirmed');

      const shipped = await patch(id, 'shipped');
      t.equal(shipped.status, 200, shipped.text);
      t.match(shipped.body.order.payment, { status: 'captured', capturedCents: 2300 });
      t.match(stripe.intents.get(intent!.id), { status: 'succeeded', amount_received: 2300 }, 'captured at Stripe for the final total');
      t.equal((await p.notify('payment_intent.succeeded', stripe.intents.get(intent!.id)!)).answer.body.outcome, 'ignored', 'the capture announced back');
      t.match((await patch(id, 'delivered')).body.order, { status: 'delivered', payment: { status: 'captured' } });

      t.equal((await refund(id, { amountCents: 500, reason: 'bruised apples' }, who.accessToken)).status, 403, 'admins only');
      const part = await refund(id, { amountCents: 500, reason: 'bruised apples' });
      t.equal(part.status, 201, part.text);
      t.match(part.body.order.payment, { status: 'captured', refundedCents: 500, refunds: [{ amountCents: 500, reason: 'bruised apples' }] });
      t.equal(stripe.intents.get(intent!.id)!.refunded, 500, 'refunded at Stripe');
      const over = await refund(id, { amountCents: 1801, reason: 'too much' });
      t.match(over, { status: 422, body: { error: { code: 'REFUND_TOO_LARGE' } } });
      t.equal((await refund(id, { amountCents: 0, reason: 'nothing' })).status, 400);
      const rest = await Promise.all(Array.from({ length: 20 }, () => refund(id, { amountCents: 1800, reason: 'the rest' })));
      t.equal(rest.filter((r) => r.status === 201).length, 1, 'of 20 refunds of the rest at once, one is made');
      t.ok(rest.every((r) => [201, 409, 422].includes(r.status)), rest.map((r) => r.status).join());
      t.match(await p.order(admin, id), { payment: { status: 'refunded', refundedCents: 2300, capturedCents: 2300 } });
      t.equal(stripe.intents.get(intent!.id)!.refunded, 2300, 'Stripe gave back exactly what was taken');
      t.match(await refund(id, { amountCents: 1, reason: 'more' }), { status: 422, body: { error: { code: 'NOTHING_TO_REFUND' } } });
    });

    t.test('by weight, by card: the estimate and the tolerance authorised, the weighed total captured', async (t) => {
      const cheese = await p.product({ by: 'weight', priceCents: undefined, pricePerKgCents: 1234, stepGrams: 100, minGrams: 100, stock: 5000 });
      const who = await newCustomer(shop);
      const added = await shop.call('POST', '/api/cart/items', { token: who.accessToken, body: { productId: cheese.id, grams: 500 } });
      t.equal(added.status, 200, added.text);
      const placed = await p.place(who, card);
      t.equal(placed.status, 202, placed.text);
      // 500 g estimated at 617, 550 g (10 % more) at 679: the card is asked for 679 + the fee.
      t.match(placed.body.order, { totalCents: 917, payment: { method: 'card', amountCents: 979 } });
      const id = placed.body.order.id as string;
      await p.until(who, id, 'awaiting_payment');
      const intent = await p.intentOf(id);
      t.match(intent, { amount: 979, capture_method: 'manual' });
      stripe.authorize(intent!.id);
      await p.notify('payment_intent.amount_capturable_updated', intent!);
      await p.until(who, id, 'confirmed');
      const heavier = await shop.call('PATCH', `/api/admin/orders/${id}/lines/${cheese.id}`, { token: admin, body: { packedGrams: 530 } });
      t.equal(heavier.status, 200, heavier.text);
      t.match(heavier.body.order, { subtotalCents: 654, totalCents: 954 }, 'weighed heavier, within the tolerance');
      const shipped = await patch(id, 'shipped');
      t.match(shipped.body.order.payment, { status: 'captured', capturedCents: 954 }, 'the final total is taken, not the amount authorised');
      t.match(stripe.intents.get(intent!.id), { status: 'succeeded', amount_received: 954 });
    });

    t.test('captured at Stripe before shipping (from its dashboard): shipping records what was taken', async (t) => {
      const { who, id, intent } = await authorisedAtStripe();
      Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, amount_capturable: 0 });
      t.equal((await p.notify('payment_intent.succeeded', intent)).answer.body.outcome, 'applied');
      t.match(await p.order(who, id), { status: 'confirmed', payment: { status: 'authorized' } });
      const shipped = await patch(id, 'shipped');
      t.equal(shipped.status, 200, shipped.text);
      t.match(shipped.body.order.payment, { status: 'captured', capturedCents: 1300 }, 'the 1300 Stripe took');
      t.match(stripe.intents.get(intent.id), { status: 'succeeded', amount_received: 1300 }, 'nothing taken twice');
    });

    t.test('a cash order: confirmed at once, its payment recorded at delivery', async (t) => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const who = await p.customerWith(product.id, 1);
      const placed = await p.place(who, { address, slotId: slot.id });
      t.equal(placed.status, 202, placed.text);
      const order = await p.settled(who, placed.body.order.id);
      t.match(order, { status: 'confirmed', payment: { method: 'cash_on_delivery', status: 'pending', amountCents: 1300 } });
      t.notOk(stripe.intentOf(order.id), 'Stripe never hears of it');
      t.match((await patch(order.id, 'shipped')).body.order.payment, { status: 'pending', capturedCents: 0 }, 'shipped: not paid yet');
      t.equal((await refund(order.id, { amountCents: 100, reason: 'early' })).body.error.code, 'NOTHING_TO_REFUND');
      t.match((await patch(order.id, 'delivered')).body.order.payment, { status: 'captured', capturedCents: 1300 }, 'paid at the door');
      t.match((await refund(order.id, { amountCents: 300, reason: 'one egg broken' })).body.order.payment, { refundedCents: 300, status: 'captured' });
    });

    t.test('a declined card gives back stock and slot, and its intent is cancelled at Stripe', async (t) => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const before = await left();
      const who = await p.customerWith(product.id, 3);
      const id = (await p.place(who, card)).body.order.id as string;
      await p.until(who, id, 'awaiting_payment');
      t.equal(await p.stock(product.id), 7);
      t.equal(await left(), before - 1, 'a place in the slot is held');
      const intent = stripe.decline((await p.intentOf(id))!.id);
      const failed = await p.notify('payment_intent.payment_failed', intent);
      t.equal(failed.answer.body.outcome, 'applied');
      t.match(await p.order(who, id), { status: 'cancelled', cancelReason: 'payment_failed', payment: { status: 'failed' } });
      t.ok(await eventually(async () => (await p.stock(product.id)) === 10 && (await left()) === before), 'stock and slot given back');
      t.ok(await eventually(async () => stripe.intents.get(intent.id)!.status === 'canceled'), 'Stripe cannot take it later');
      t.equal((await p.resend(failed)).body.outcome, 'duplicate');
      t.equal((await p.notify('payment_intent.amount_capturable_updated', stripe.authorize(intent.id))).answer.body.outcome, 'ignored', 'late: changes nothing');
      t.equal((await p.order(who, id)).status, 'cancelled');
      t.equal(await p.stock(product.id), 10, 'nothing held twice, nothing given back twice');
    });

    t.test('100 copies of one notification at once move the order once', async (t) => {
      const { who, id, intent } = await authorisedAtStripe();
      const note = stripe.notification('payment_intent.amount_capturable_updated', intent);
      const answers = await Promise.all(Array.from({ length: 100 }, () => p.resend(note)));
      t.ok(answers.every((a) => a.status === 200), answers.map((a) => a.status).join());
      t.equal(answers.filter((a) => a.body.outcome === 'applied').length, 1, 'applied once');
      const order = await p.order(who, id);
      t.equal(order.history.filter((h: { status: string }) => h.status === 'confirmed').length, 1, 'confirmed once');
    });

    t.test('forged, unsigned, changed or replayed notifications: 400, nothing changed', async (t) => {
      const { who, id, intent } = await authorisedAtStripe();
      const type = 'payment_intent.amount_capturable_updated';
      const refused = (answer: { status: number; body: { error?: { code: string } } }, what: string) =>
        t.match(answer, { status: 400, body: { error: { code: 'BAD_SIGNATURE' } } }, what);
      refused((await p.notify(type, intent, { secret: 'whsec_forged' })).answer, 'another secret');
      refused((await p.notify(type, intent, { timestamp: Math.floor(Date.now() / 1000) - 600 })).answer, 'ten minutes old: a replay');
      const good = stripe.notification(type, intent);
      refused(await shop.call('POST', WEBHOOK, { raw: good.payload }), 'no Stripe-Signature');
      refused(await shop.call('POST', WEBHOOK, { raw: good.payload.replace('"livemode": false', '"livemode": true'), headers: { 'stripe-signature': good.signature } }), 'a changed body');
      refused(await shop.call('POST', WEBHOOK, { raw: JSON.stringify(JSON.parse(good.payload)), headers: { 'stripe-signature': good.signature } }), 'the same JSON written again');
      t.equal((await p.order(who, id)).status, 'awaiting_payment', 'nothing changed');
      t.equal((await p.resend(good)).body.outcome, 'applied', 'the genuine one, exactly as sent, is taken');
    });

    t.test('the zone says which methods it takes; a refused method is a 422 with nothing held', async (t) => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const cashOnly = await p.zone({ paymentMethods: ['cash_on_delivery'] });
      const cardOnly = await p.zone({ paymentMethods: ['card'] });
      t.same(cashOnly.zone, { ...cashOnly.zone, paymentMethods: ['cash_on_delivery'] });
      const quote = async (postalCode: string) => (await shop.call('GET', `/api/delivery/quote?postalCode=${postalCode}`)).body.paymentMethods;
      t.same(await quote(cashOnly.address.postalCode), ['cash_on_delivery'], 'the quote says how orders there may be paid');
      t.same(await quote(address.postalCode), ['cash_on_delivery', 'card'], 'both, where the zone names none');
      const who = await p.customerWith(product.id, 1);
      const refusedCard = await p.place(who, { address: cashOnly.address, slotId: cashOnly.slot.id, paymentMethod: 'card' });
      t.match(refusedCard, { status: 422, body: { error: { code: 'PAYMENT_METHOD_NOT_ALLOWED', details: [{ allowed: ['cash_on_delivery'] }] } } });
      const refusedCash = await p.place(who, { address: cardOnly.address, slotId: cardOnly.slot.id });
      t.match(refusedCash, { status: 422, body: { error: { code: 'PAYMENT_METHOD_NOT_ALLOWED' } } }, 'cash, the default, where only cards are taken');
      t.equal((await p.place(who, { ...card, paymentMethod: 'bitcoin' })).status, 400);
      t.equal((await shop.call('GET', '/api/orders', { token: who.accessToken })).body.total, 0, 'no order');
      t.equal(await p.stock(product.id), 10, 'nothing held');
      t.equal(await cashOnly.left(), 10);
    });

    t.test('Stripe down when the intent is made: the step fails and is retried until Stripe answers', async (t) => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const who = await p.customerWith(product.id, 1);
      stripe.down = true;
      const id = (await p.place(who, card)).body.order.id as string;
      const attempts = () => stripe.requests.filter((r) => r.path === '/v1/payment_intents' && r.params['metadata[orderId]'] === id).length;
      t.ok(await eventually(async () => attempts() >= 3, 60), 'tried, and tried again');
      t.equal((await p.order(who, id)).status, 'pending', 'the order waits meanwhile, its stock held');
      stripe.down = false;
      t.match(await p.until(who, id, 'awaiting_payment'), { payment: { status: 'pending', clientSecret: /_secret_/ } });
      t.equal([...stripe.intents.values()].filter((i) => i.metadata.orderId === id).length, 1, 'one intent');
    });

    t.test('placed then cancelled at once, or cancelled awaiting its payment: everything comes back', async (t) => {
      const product = await p.product({ priceCents: 1000, stock: 10 });
      const before = await left();
      const who = await p.customerWith(product.id, 2);
      const id = (await p.place(who, card)).body.order.id as string;
      t.equal((await shop.call('POST', `/api/orders/${id}/cancel`, { token: who.accessToken })).status, 200);
      t.ok(await eventually(async () => (await p.stock(product.id)) === 10 && (await left()) === before), 'stock and slot given back');
      t.ok(await eventually(async () => [undefined, 'canceled'].includes(stripe.intentOf(id)?.status)), 'no intent, or a cancelled one');

      const again = await p.customerWith(product.id, 2);
      const second = (await p.place(again, card)).body.order.id as string;
      const intent = (await p.intentOf(second))!;
      await p.until(again, second, 'awaiting_payment');
      t.match((await shop.call('POST', `/api/orders/${second}/cancel`, { token: again.accessToken })).body.order, { status: 'cancelled', cancelReason: 'cancelled_by_customer' });
      t.ok(await eventually(async () => stripe.intents.get(intent.id)!.status === 'canceled'), 'its intent is cancelled at Stripe');
      t.match(await p.until(again, second, 'cancelled'), { payment: { status: 'failed' } });
      t.ok(await eventually(async () => (await p.stock(product.id)) === 10 && (await left()) === before));
    });
  });
}
