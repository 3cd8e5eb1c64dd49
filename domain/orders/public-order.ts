import { taxesIncluded, type TaxLine } from '../catalog/tax.js';
import type { Order, OrderStatus } from './order.js';

export type PublicOrder = Omit<Order, 'createdAt' | 'updatedAt' | 'history' | 'delivery' | 'tax'> & {
  taxes: TaxLine[];
  createdAt: string;
  updatedAt: string;
  history: { status: OrderStatus; at: string; by: string; reason?: string }[];
  delivery?: { zone: { id: string; name: string }; slot?: { id: string; start: string; end: string } };
};

/**
 * The VAT an order's total includes, at the rates it was placed with: its lines by their class,
 * the delivery fee by the delivery's. None known for orders placed before taxes were shown.
 */
export function orderTaxes({ tax, items, deliveryFeeCents }: Order): TaxLine[] {
  if (!tax) return [];
  const lines = items.map((i) => ({ taxClass: i.taxClass ?? 'standard', grossCents: i.lineTotalCents }));
  if (deliveryFeeCents > 0) lines.push({ taxClass: tax.deliveryClass, grossCents: deliveryFeeCents });
  return taxesIncluded(lines, tax.rates);
}

/** An order as the functions answer it: dates in ISO 8601. */
export function publicOrder(stored: Order): PublicOrder {
  const { delivery, tax: _snapshot, ...order } = stored;
  return {
    ...order,
    taxes: orderTaxes(stored),
    ...(delivery
      ? {
          delivery: {
            zone: delivery.zone,
            ...(delivery.slot ? { slot: { id: delivery.slot.id, start: delivery.slot.start.toISOString(), end: delivery.slot.end.toISOString() } } : {}),
          },
        }
      : {}),
    history: order.history.map((h) => ({ ...h, at: h.at.toISOString() })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
