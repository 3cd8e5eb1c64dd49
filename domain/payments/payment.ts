import type { PaymentMethod } from './provider.js';

export const paymentStatuses = ['pending', 'authorized', 'captured', 'refunded', 'voided', 'failed'] as const;
/**
 * pending: nothing paid yet (cash until delivery, a card until the customer pays); authorized:
 * the card's amount is held; captured: taken (a shipped card order, a delivered cash one);
 * refunded: all of it given back; voided: an authorisation released when the order was cancelled;
 * failed: the card was declined, or the order was cancelled before it was paid.
 */
export type PaymentStatus = (typeof paymentStatuses)[number];

/** A refund an admin made: how much, why, by whom. */
export interface Refund {
  id: string;
  amountCents: number;
  reason: string;
  at: Date;
  by: string;
}

/** How an order is paid, and how far: kept on the order and changed with it. */
export interface OrderPayment {
  method: PaymentMethod;
  status: PaymentStatus;
  /** What is authorised (a card: amountToAuthorize, domain/orders/packing.ts) or due (cash: the total) at placement. */
  amountCents: number;
  /** Taken: at shipping (a card), at delivery (cash). */
  capturedCents: number;
  /** Given back of what was taken, never more. */
  refundedCents: number;
  refunds: Refund[];
  /** The provider's PaymentIntent, once made; its client secret is shown to the order's owner only. */
  intentId?: string;
  clientSecret?: string;
  /** Provider events already applied to the order (their ids): each is handled once. */
  handledEvents: string[];
  /** Bumped by every change: a payment write is conditional on the version it read. */
  version: number;
}

/** The payment of a new order: nothing paid. */
export const newPayment = (method: PaymentMethod, amountCents: number): OrderPayment => ({
  method,
  status: 'pending',
  amountCents,
  capturedCents: 0,
  refundedCents: 0,
  refunds: [],
  handledEvents: [],
  version: 0,
});

/** The payment as it becomes: the changes applied, the version bumped. */
export const nextPayment = (payment: OrderPayment, change: Partial<Omit<OrderPayment, 'version'>>): OrderPayment => ({
  ...payment,
  ...change,
  version: payment.version + 1,
});
