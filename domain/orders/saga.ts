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
    does: "takes every line's stock or none, and records the decision",
    emits: ['stock.reserved', 'stock.rejected'],
    compensation: 'release-stock, when the order is cancelled; a rejection holds nothing',
  },
  {
    on: 'stock.reserved',
    fn: 'confirm-order',
    does: 'pending → confirmed',
    emits: ['order.status_changed', 'order.confirmed'],
    compensation: 'a cancellation (cancel-order, update-order-status, forget-user) emits order.cancelled',
  },
  {
    on: 'stock.rejected',
    fn: 'reject-order',
    does: 'pending → cancelled, reason out_of_stock',
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
    does: 'gives back what the order held, exactly once',
    emits: [],
    compensation: 'none: it is the compensation of reserve-stock',
  },
  {
    on: 'order.status_changed',
    fn: 'settle-stock',
    does: "to shipped: the held units leave the shelf (onHand)",
    emits: [],
    compensation: 'none: a shipped order is never cancelled',
  },
];

/** The step no event drives: orders a lost step left pending are settled on a schedule. */
export const sagaTimeout = {
  fn: 'expire-pending-orders',
  does: 'settles orders pending longer than ORDER_PENDING_TIMEOUT: confirmed when their stock was reserved, else cancelled (out_of_stock or expired)',
  emits: ['order.status_changed', 'order.confirmed', 'order.cancelled'] satisfies EventName[],
};
