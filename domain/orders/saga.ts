import type { EventName } from '../events.js';

/** One step of the order saga: a function that reacts to one event of the catalog. */
export interface SagaStep {
  /** The event it reacts to (stack.yml: the function's `topic`). */
  on: EventName;
  /** The event-driven function (stack.yml, functions/<name>). */
  fn: string;
  /** What it does, in a few words. */
  does: string;
  /** The events it may emit, which drive the next steps. */
  emits: EventName[];
  /** What undoes it, or why nothing needs to. */
  compensation: string;
}

/**
 * The order saga in one place: each step, the event it reacts to, what it emits and what undoes
 * it. test/event-catalog.test.ts holds it to stack.yml and to the handlers' `on`; the table in
 * docs/architecture.md is generated from it (npm run docs:events).
 */
export const orderSaga: SagaStep[] = [
  {
    on: 'order.placed',
    fn: 'reserve-stock',
    does: "takes the delivery slot's place (when the order has a slot) and every line's stock, or none of them, and records the decision",
    emits: ['stock.reserved', 'stock.rejected'],
    compensation: 'release-stock, when the order is cancelled; a rejection holds nothing',
  },
  {
    on: 'stock.reserved',
    fn: 'confirm-order',
    does:
      'cash on delivery: pending → confirmed; card: a Stripe PaymentIntent (manual capture, for amountToAuthorize), then pending → ' +
      'awaiting_payment; Stripe down: answers non-200, so the connector retries',
    emits: ['order.status_changed', 'order.confirmed'],
    compensation: 'a cancellation (cancel-order, update-order-status, forget-user, stripe-webhook, the sweep) emits order.cancelled',
  },
  {
    on: 'stock.rejected',
    fn: 'reject-order',
    does: 'pending → cancelled, reason out_of_stock or slot_full',
    emits: ['order.status_changed', 'order.cancelled'],
    compensation: 'none: it is the compensation of placing an order',
  },
  {
    on: 'order.confirmed',
    fn: 'clear-ordered-items',
    does: 'takes the ordered lines out of the cart, as the order saw them',
    emits: [],
    compensation: 'none: the order keeps its lines; the customer adds them again',
  },
  {
    on: 'order.cancelled',
    fn: 'release-stock',
    does: "gives back what the order held, stock and the slot's place, exactly once",
    emits: [],
    compensation: 'none: it is the compensation of reserve-stock',
  },
  {
    on: 'order.cancelled',
    fn: 'void-payment',
    does: "a card order's intent cancelled at Stripe: the authorisation released (voided), or a capture refunded",
    emits: ['payment.voided', 'payment.refunded'],
    compensation: 'none: it is the compensation of confirm-order (the intent) and of shipping (the capture)',
  },
  {
    on: 'order.status_changed',
    fn: 'settle-stock',
    does: "to shipped: the held units leave the shelf (onHand)",
    emits: [],
    compensation: 'none: a shipped order is never cancelled',
  },
];

/**
 * The step no event drives: orders a lost step left pending are settled on a schedule, and card
 * orders nobody paid are cancelled.
 */
export const sagaTimeout = {
  fn: 'expire-pending-orders',
  does:
    'settles orders pending longer than ORDER_PENDING_TIMEOUT: confirmed when their stock was reserved (a card order: cancelled ' +
    'payment_expired, its intent never made), else cancelled (out_of_stock or slot_full, as the stock step decided, or expired); cancels orders awaiting_payment longer ' +
    'than PAYMENT_TIMEOUT_MINUTES (payment_expired)',
  emits: ['order.status_changed', 'order.confirmed', 'order.cancelled'] satisfies EventName[],
};
