import { taxesIncluded, type TaxLine } from '../catalog/tax.js';
import type { PaymentStatus } from '../payments/payment.js';
import type { PaymentMethod } from '../payments/provider.js';
import { finalLineCents, type Order, type OrderItem, type OrderStatus } from './order.js';

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

/** Units as `quantity` (by the piece), grams as `grams` (by weight), as carts and the inputs name them. */
const amount = (by: OrderItem['by'], quantity: number) => (by === 'weight' ? { grams: quantity } : { quantity });

/** A line as answered: what was ordered, and once packed, what went. */
export const publicItem = ({ quantity, packed, ...item }: OrderItem) => ({
  productId: item.productId,
  name: item.name,
  by: item.by,
  unitPriceCents: item.unitPriceCents,
  ...amount(item.by, quantity),
  lineTotalCents: item.lineTotalCents,
  ...(item.taxClass ? { taxClass: item.taxClass } : {}),
  ...(item.maxGrams !== undefined ? { maxGrams: item.maxGrams } : {}),
  ifUnavailable: item.ifUnavailable,
  ...(packed
    ? {
        packed: {
          ...amount(item.by, packed.quantity),
          ...(packed.substitute ? { substitute: packed.substitute } : {}),
          unitPriceCents: packed.unitPriceCents,
          lineTotalCents: packed.lineTotalCents,
        },
      }
    : {}),
});

export type PublicOrder = Omit<Order, 'createdAt' | 'updatedAt' | 'history' | 'delivery' | 'items' | 'tax' | 'payment'> & {
  items: ReturnType<typeof publicItem>[];
  taxes: TaxLine[];
  createdAt: string;
  updatedAt: string;
  history: { status: OrderStatus; at: string; by: string; reason?: string }[];
  delivery?: { zone: { id: string; name: string }; slot?: { id: string; start: string; end: string } };
  payment?: PublicPayment;
};

/**
 * The VAT an order's total includes, at the rates it was placed with: its lines by their class,
 * the delivery fee by the delivery's. None known for orders placed before taxes were shown.
 */
export function orderTaxes({ tax, items, deliveryFeeCents }: Order): TaxLine[] {
  if (!tax) return [];
  // As packed once packed (the final total), else as ordered.
  const lines = items.map((i) => ({ taxClass: i.taxClass ?? 'standard', grossCents: finalLineCents(i) }));
  if (deliveryFeeCents > 0) lines.push({ taxClass: tax.deliveryClass, grossCents: deliveryFeeCents });
  return taxesIncluded(lines, tax.rates);
}

/**
 * An order as the functions answer it: dates in ISO 8601. The card payment's client secret (what
 * the customer's browser pays the intent with) only while it can still be paid, and only to the
 * order's owner (`owner`).
 */
export function publicOrder(stored: Order, { owner = false }: { owner?: boolean } = {}): PublicOrder {
  const { delivery, items, payment, tax: _snapshot, ...order } = stored;
  return {
    ...order,
    items: items.map(publicItem),
    taxes: orderTaxes(stored),
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
  };
}
