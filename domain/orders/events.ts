import { z } from 'zod';
import { id } from '../schemas.js';
import { cancelReasons, orderStatuses } from './order.js';

/** The order and its lines, as every order event carries them (what the saga steps read). */
const orderLines = {
  orderId: id,
  userId: id,
  items: z.array(z.object({ productId: id, quantity: z.number().int().min(1) })).min(1).max(100),
};
const status = z.enum(orderStatuses);
const reason = z.enum(cancelReasons);

/**
 * The events of orders: name → the schema of its `data`, with what it means and the functions
 * that emit it. To add an event, add its line here (domain/events.ts merges every area's), then
 * emit it with `event('order.…', data, meta)`. The saga that runs on them: ./saga.ts.
 */
export const orderEvents = {
  'order.placed': z
    .object({ ...orderLines, totalCents: z.number().int(), currency: z.string() })
    .meta({ description: 'A pending order, from the cart', producers: ['place-order'] }),
  'order.confirmed': z.object(orderLines).meta({ description: 'pending → confirmed: its stock is held', producers: ['confirm-order', 'expire-pending-orders'] }),
  'order.cancelled': z.object({ ...orderLines, reason }).meta({
    description: 'An order cancelled, with the reason; what it held goes back to stock',
    producers: ['cancel-order', 'update-order-status', 'reject-order', 'forget-user', 'expire-pending-orders'],
  }),
  'order.status_changed': z
    .object({ ...orderLines, from: status, to: status, by: z.string().meta({ description: 'A user id, or `system` (the saga)' }), reason: reason.optional() })
    .meta({
      description: 'Every move of an order, beside order.confirmed and order.cancelled',
      producers: ['confirm-order', 'reject-order', 'cancel-order', 'update-order-status', 'forget-user', 'expire-pending-orders'],
    }),
};
