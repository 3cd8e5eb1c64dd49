import type { PaymentStatus } from '../payments/payment.js';
import type { PaymentMethod } from '../payments/provider.js';
import type { Order, OrderStatus } from './order.js';

export interface PublicPayment {
  method: PaymentMethod;
  status: PaymentStatus;
  amountCents: number;
  capturedCents: number;
  refundedCents: number;
  refunds: { id: string; amountCents: number; reason: string; at: string; by: string }[];
  intentId?: string;
  clientSecret?: string;
}

export type PublicOrder = Omit<Order, 'createdAt' | 'updatedAt' | 'history' | 'delivery' | 'payment'> & {
  createdAt: string;
  updatedAt: string;
  history: { status: OrderStatus; at: string; by: string; reason?: string }[];
  delivery?: { zone: { id: string; name: string }; slot?: { id: string; start: string; end: string } };
  payment?: PublicPayment;
};

/**
 * An order as the functions answer it: dates in ISO 8601. The card payment's client secret (what
 * the customer's browser pays the intent with) only while it can still be paid, and only to the
 * order's owner (`owner`).
 */
export const publicOrder = ({ delivery, payment, ...order }: Order, { owner = false }: { owner?: boolean } = {}): PublicOrder => ({
  ...order,
  ...(delivery
    ? {
        delivery: {
          zone: delivery.zone,
          ...(delivery.slot ? { slot: { id: delivery.slot.id, start: delivery.slot.start.toISOString(), end: delivery.slot.end.toISOString() } } : {}),
        },
      }
    : {}),
  ...(payment
    ? {
        payment: {
          method: payment.method,
          status: payment.status,
          amountCents: payment.amountCents,
          capturedCents: payment.capturedCents,
          refundedCents: payment.refundedCents,
          refunds: payment.refunds.map((r) => ({ ...r, at: r.at.toISOString() })),
          ...(payment.intentId ? { intentId: payment.intentId } : {}),
          ...(owner && payment.clientSecret && order.status === 'awaiting_payment' ? { clientSecret: payment.clientSecret } : {}),
        },
      }
    : {}),
  history: order.history.map((h) => ({ ...h, at: h.at.toISOString() })),
  createdAt: order.createdAt.toISOString(),
  updatedAt: order.updatedAt.toISOString(),
});
