import t from 'tap';
import { loadConfig } from '#platform/config.js';
import { openPayments, paymentsName } from '#platform/connections.js';
import { startStripeStandIn } from './helpers/stripe-stand-in.js';

t.test('the Stripe adapter, with the official SDK, against the stand-in of its API', async (t) => {
  const stripe = await startStripeStandIn();
  t.teardown(() => stripe.close());
  const config = loadConfig({ ...stripe.env });
  t.match(paymentsName(config), /cash on delivery and cards: stripe at http:\/\/127\.0\.0\.1/);
  t.match(paymentsName(loadConfig({})), /cash on delivery only/, 'no key: cash only, and the log says so');
  t.equal(await openPayments(loadConfig({})), null);
  const cards = (await openPayments(config))!;
  const bad = { name: 'BadSignature' };

  const first = await cards.createIntent({ orderId: 'o1', amountCents: 1299, currency: 'USD' });
  const again = await cards.createIntent({ orderId: 'o1', amountCents: 1299, currency: 'USD' });
  t.same(again, first, 'the same order again answers the same intent (idempotency key)');
  t.equal(stripe.intents.size, 1);
  const intent = stripe.intents.get(first.intentId)!;
  t.match(intent, { amount: 1299, currency: 'usd', capture_method: 'manual', metadata: { orderId: 'o1' } });
  t.match(first.clientSecret, /_secret_/);

  await t.rejects(cards.capture(first.intentId, 1299, 'cap-1'), 'nothing to capture before the customer paid');
  stripe.authorize(first.intentId);
  t.equal(await cards.capture(first.intentId, 1000, 'cap-2'), 1000, 'answers what was taken');
  t.match(stripe.intents.get(first.intentId), { status: 'succeeded', amount_received: 1000 }, 'captured less than authorised');
  t.equal(await cards.capture(first.intentId, 1299, 'cap-3'), 1000, 'captured before, under another key: what was taken stands');
  await cards.refund(first.intentId, 400, 'ref-1');
  await cards.refund(first.intentId, 400, 'ref-1');
  t.equal(stripe.intents.get(first.intentId)!.refunded, 400, 'a refund retried with its key is made once');
  await t.rejects(cards.refund(first.intentId, 601, 'ref-2'), 'never above what was captured');
  await cards.cancel(first.intentId, 'cancel-1');
  t.equal(stripe.intents.get(first.intentId)!.refunded, 1000, 'cancelling a captured payment refunds the rest');

  const second = await cards.createIntent({ orderId: 'o2', amountCents: 500, currency: 'USD' });
  await cards.cancel(second.intentId, 'cancel-2');
  await cards.cancel(second.intentId, 'cancel-2b');
  t.equal(stripe.intents.get(second.intentId)!.status, 'canceled', 'an authorisation is voided, once');

  stripe.down = true;
  await t.rejects(cards.createIntent({ orderId: 'o3', amountCents: 500, currency: 'USD' }), 'Stripe down: the call fails');
  stripe.down = false;

  const note = stripe.notification('payment_intent.amount_capturable_updated', stripe.intents.get(second.intentId)!);
  t.same(await cards.readEvent(Buffer.from(note.payload), note.signature), {
    id: note.id,
    type: 'payment_intent.amount_capturable_updated',
    kind: 'authorized',
    intentId: second.intentId,
    orderId: 'o2',
  });
  await t.rejects(cards.readEvent(Buffer.from(note.payload.replace('o2', 'o9')), note.signature), bad, 'a changed body');
  await t.rejects(cards.readEvent(Buffer.from(note.payload), undefined), bad, 'unsigned');
  const forged = stripe.notification('payment_intent.succeeded', stripe.intents.get(second.intentId)!, { secret: 'whsec_forged' });
  await t.rejects(cards.readEvent(Buffer.from(forged.payload), forged.signature), bad, 'signed with another secret');
  const old = stripe.notification('payment_intent.succeeded', stripe.intents.get(second.intentId)!, { timestamp: Math.floor(Date.now() / 1000) - 600 });
  await t.rejects(cards.readEvent(Buffer.from(old.payload), old.signature), bad, 'replayed: older than the tolerance');
  const other = stripe.notification('charge.refunded', stripe.intents.get(second.intentId)!);
  t.equal((await cards.readEvent(Buffer.from(other.payload), other.signature)).kind, 'other');
});
