import { DomainError } from '../errors.js';
import type { EventFactory } from '../events.js';
import { nextPayment, type OrderPayment } from '../payments/payment.js';
import type { CardPayments, ProviderEvent } from '../payments/provider.js';
import type { CallMeta, Clock, IdGenerator } from '../ports.js';
import type { Move } from './moves.js';
import type { Order, OrderRepository } from './order.js';

export interface PayingDeps {
  orders: OrderRepository;
  /** Card payments at the provider; null without one (cash on delivery only). */
  cards: CardPayments | null;
  clock: Clock;
  ids: IdGenerator;
  event: EventFactory;
}

const SYSTEM = 'system';
/** Provider event ids kept per order: far more than one payment ever gets. */
const HANDLED_KEPT = 50;
const idem = (orderId: string, what: string) => `order-${orderId}-${what}`;

/** A call to the provider that failed: 502, nothing changed here. */
async function atProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DomainError('PAYMENT_PROVIDER_FAILED', `Stripe did not take it: ${(error as Error).message}`);
  }
}

/**
 * The payment steps of the order saga: the card intent once stock and slot are held, the
 * provider's notifications, voiding a cancelled order's payment, capturing at shipping, refunds.
 * Moves go through `move` (conditional on the order's status), payment-only changes through
 * updatePayment (conditional on the payment's version): concurrent or repeated calls change an
 * order once.
 */
export function createPaying({ orders, cards, clock, ids, event }: PayingDeps, move: Move) {
  const about = (order: Order) => ({ orderId: order.id, userId: order.userId, method: order.payment!.method });

  /** Applies `change` to the payment as stored, again when another change got there first; null when `change` declines. */
  async function changePayment(id: string, change: (order: Order, payment: OrderPayment) => { payment: OrderPayment; events: ReturnType<EventFactory>[] } | null) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const order = await orders.findById(id);
      if (!order?.payment) return null;
      const next = change(order, order.payment);
      if (!next) return null;
      const updated = await orders.updatePayment(id, order.payment.version, next.payment, clock.now(), next.events);
      if (updated) return updated;
    }
    throw new DomainError('CONFLICT', 'The order is changing right now; try again');
  }

  return {
    /**
     * confirm-order, for a card order: an intent for amountToAuthorize (made at placement), then
     * pending → awaiting_payment with it. Stripe down: it throws, and the connector retries the
     * step; an order that never gets its intent is settled by the pending sweep. An order
     * cancelled while the intent was made gets its intent cancelled here.
     */
    async awaitPayment(order: Order, meta: CallMeta = {}) {
      if (!cards) return move(order.id, 'cancelled', SYSTEM, (from) => from === 'pending', { ...meta, reason: 'payment_failed' });
      const { intentId, clientSecret } = await cards.createIntent({ orderId: order.id, amountCents: order.payment!.amountCents, currency: order.currency });
      const moved = await move(order.id, 'awaiting_payment', SYSTEM, (from) => from === 'pending', {
        ...meta,
        payment: (now) => nextPayment(now.payment!, { intentId, clientSecret }),
      });
      if (!moved && (await orders.findById(order.id))?.status === 'cancelled') await cards.cancel(intentId, idem(order.id, 'cancel'));
      return moved;
    },

    /**
     * stripe-webhook: a verified notification moves the order it names. Authorised →
     * confirmed; declined → cancelled payment_failed; cancelled at Stripe → cancelled
     * payment_failed. Each event once by its id; one arriving late (out of order) finds the order
     * moved on and changes nothing. Answers what it did.
     */
    async providerEvent(notice: ProviderEvent, meta: CallMeta = {}): Promise<'applied' | 'duplicate' | 'ignored'> {
      if (!notice.orderId || notice.kind === 'other') return 'ignored';
      const order = await orders.findById(notice.orderId);
      if (!order?.payment || !notice.intentId || order.payment.intentId !== notice.intentId) return 'ignored';
      const fresh = (o: Order) => !o.payment!.handledEvents.includes(notice.id);
      if (!fresh(order)) return 'duplicate';
      const seen = (o: Order) => [...o.payment!.handledEvents, notice.id].slice(-HANDLED_KEPT);
      let moved: Order | null;
      if (notice.kind === 'authorized' || notice.kind === 'succeeded') {
        moved = await move(order.id, 'confirmed', SYSTEM, (from, o) => from === 'awaiting_payment' && fresh(o), {
          ...meta,
          payment: (o) => nextPayment(o.payment!, { status: 'authorized', handledEvents: seen(o) }),
          also: (o) => [event('payment.authorized', { ...about(o), amountCents: o.payment!.amountCents }, meta)],
        });
      } else {
        // Declined: only while the customer could still pay. Cancelled at Stripe: an authorisation
        // that lapsed (or was cancelled there) cannot be captured, so the order cannot ship.
        const undone = (o: Order) => o.status === 'awaiting_payment' || (notice.kind === 'canceled' && o.status === 'confirmed' && o.payment!.status === 'authorized');
        moved = await move(order.id, 'cancelled', SYSTEM, (_from, o) => undone(o) && fresh(o), {
          ...meta,
          reason: 'payment_failed',
          payment: (o) => nextPayment(o.payment!, { status: 'failed', handledEvents: seen(o) }),
        });
      }
      return moved ? 'applied' : 'ignored';
    },

    /**
     * void-payment (order.cancelled): a cancelled card order's intent is cancelled at Stripe, so
     * nothing is taken (an authorisation released, a capture refunded in full). Safe to repeat.
     */
    async voidPayment(orderId: string, meta: CallMeta = {}) {
      const order = await orders.findById(orderId);
      const payment = order?.payment;
      if (!order || order.status !== 'cancelled' || payment?.method !== 'card' || !payment.intentId) return;
      if (payment.status === 'voided' || payment.status === 'refunded') return;
      if (!cards) throw new Error('A card order was cancelled while the shop has no STRIPE_SECRET_KEY: its intent waits for the key');
      await cards.cancel(payment.intentId, idem(orderId, 'cancel'));
      await changePayment(orderId, (o, p) => {
        if (p.status === 'captured') {
          const amountCents = p.capturedCents - p.refundedCents;
          const refund = { id: ids(), amountCents, reason: 'order cancelled', at: clock.now(), by: SYSTEM };
          return {
            payment: nextPayment(p, { status: 'refunded', refundedCents: p.capturedCents, refunds: [...p.refunds, refund] }),
            events: [event('payment.refunded', { ...about(o), amountCents, refundedCents: p.capturedCents, reason: refund.reason }, meta)],
          };
        }
        if (p.status !== 'pending' && p.status !== 'authorized') return null;
        const status = p.status === 'authorized' ? 'voided' : 'failed';
        return { payment: nextPayment(p, { status }), events: [event('payment.voided', { ...about(o), status }, meta)] };
      });
    },

    /**
     * update-order-status to shipped: a card order's authorisation is captured for its final total
     * first. Answers what the provider took: more than the total when the intent was captured in
     * full at the provider before (an admin then refunds the difference).
     */
    async capture(order: Order) {
      const payment = order.payment;
      if (payment?.method !== 'card') return undefined;
      if (payment.status !== 'authorized' || !payment.intentId) {
        throw new DomainError('INVALID_TRANSITION', `A card order ships once its payment is authorised; this one is ${payment.status}`);
      }
      if (!cards) throw new DomainError('PAYMENT_METHOD_UNAVAILABLE', 'The shop has no STRIPE_SECRET_KEY now: the card cannot be charged');
      const amountCents = order.totalCents;
      return atProvider(() => cards.capture(payment.intentId!, amountCents, idem(order.id, 'capture')));
    },

    /**
     * An admin's partial refund: reserved on the order first (a conditional write: never above
     * what was captured, also when refunds race), then made at Stripe, then announced.
     */
    async refund(by: string, id: string, { amountCents, reason }: { amountCents: number; reason: string }, meta: CallMeta = {}) {
      const refund = { id: ids(), amountCents, reason, at: clock.now(), by };
      const card = (p: OrderPayment) => p.method === 'card' && Boolean(p.intentId);
      const announce = (o: Order, refundedCents: number) => event('payment.refunded', { ...about(o), amountCents, refundedCents, reason }, meta);
      const reserved = await changePayment(id, (o, p) => {
        const left = p.capturedCents - p.refundedCents;
        if (left <= 0) throw new DomainError('NOTHING_TO_REFUND', 'Nothing of this order was captured, or all of it was refunded');
        if (amountCents > left) {
          throw new DomainError('REFUND_TOO_LARGE', `At most ${left} cents can still be refunded`, [{ capturedCents: p.capturedCents, refundedCents: p.refundedCents, leftCents: left }]);
        }
        const refundedCents = p.refundedCents + amountCents;
        return {
          payment: nextPayment(p, { refundedCents, refunds: [...p.refunds, refund], ...(refundedCents === p.capturedCents ? { status: 'refunded' as const } : {}) }),
          // Cash is handed back by the shop: done now. A card's refund is announced once Stripe made it.
          events: card(p) ? [] : [announce(o, refundedCents)],
        };
      });
      if (!reserved) throw new DomainError('NOTHING_TO_REFUND', 'This order has no payment to refund');
      if (!card(reserved.payment!)) return reserved;
      try {
        await atProvider(() => cards!.refund(reserved.payment!.intentId!, amountCents, `refund-${refund.id}`));
      } catch (error) {
        // Not made at Stripe: the reservation goes, so the amount can be refunded again.
        await changePayment(id, (_o, p) =>
          p.refunds.some((r) => r.id === refund.id)
            ? { payment: nextPayment(p, { refundedCents: p.refundedCents - amountCents, refunds: p.refunds.filter((r) => r.id !== refund.id), status: 'captured' }), events: [] }
            : null,
        );
        throw error;
      }
      return (await changePayment(id, (o, p) => ({ payment: nextPayment(p, {}), events: [announce(o, p.refundedCents)] }))) ?? reserved;
    },
  };
}

export type Paying = ReturnType<typeof createPaying>;
