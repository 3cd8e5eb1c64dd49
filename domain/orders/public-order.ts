import type { Order, OrderStatus } from './order.js';

export type PublicOrder = Omit<Order, 'createdAt' | 'updatedAt' | 'history' | 'delivery'> & {
  createdAt: string;
  updatedAt: string;
  history: { status: OrderStatus; at: string; by: string; reason?: string }[];
  delivery?: { zone: { id: string; name: string }; slot?: { id: string; start: string; end: string } };
};

/** An order as the functions answer it: dates in ISO 8601. */
export const publicOrder = ({ delivery, ...order }: Order): PublicOrder => ({
  ...order,
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
