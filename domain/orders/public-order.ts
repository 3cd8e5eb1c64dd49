import type { Order, OrderItem, OrderStatus } from './order.js';

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

export type PublicOrder = Omit<Order, 'createdAt' | 'updatedAt' | 'history' | 'delivery' | 'items'> & {
  items: ReturnType<typeof publicItem>[];
  createdAt: string;
  updatedAt: string;
  history: { status: OrderStatus; at: string; by: string; reason?: string }[];
  delivery?: { zone: { id: string; name: string }; slot?: { id: string; start: string; end: string } };
};

/** An order as the functions answer it: dates in ISO 8601. */
export const publicOrder = ({ delivery, items, ...order }: Order): PublicOrder => ({
  ...order,
  items: items.map(publicItem),
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
});
