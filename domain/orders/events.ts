import { z } from 'zod';
import { SLOT_ID, SLOT_ID_EXAMPLE } from '../delivery/answers.js';
import { cents, id } from '../schemas.js';
import { MAX_STOCK } from '../catalog/product.js';
import { cancelReasons, orderStatuses } from './order.js';

/** The order and its lines, as every order event carries them (what the saga steps read). */
const orderLines = {
  orderId: id.meta({ description: "The order's id" }),
  userId: id.meta({ description: "The customer's id" }),
  items: z
    .array(
      z.object({
        productId: id.meta({ description: "The product's id" }),
        quantity: z
          .number()
          .int()
          .min(0)
          .max(MAX_STOCK)
          .meta({ description: 'Units ordered (grams of a product sold by weight); once packed, what went (0: none of it)', examples: [2] }),
      }),
    )
    .min(1)
    .max(100)
    .meta({ description: 'The products the order holds stock of: its lines, and once packed, the substitutes packed in their place' }),
};
/** The delivery slot the order holds a place in, when its zone delivers in slots. */
const slot = { slotId: id.optional().meta({ description: `The delivery slot the order holds a place in, if any. ${SLOT_ID}`, examples: [SLOT_ID_EXAMPLE] }) };
const status = z.enum(orderStatuses);
const reason = z.enum(cancelReasons).meta({ description: 'Why it was cancelled' });

/**
 * The events of orders: name → the schema of its `data`, with what it means and the functions
 * that emit it. To add an event, add its line here (domain/events.ts merges every area's), then
 * emit it with `event('order.…', data, meta)`. The saga that runs on them: ./saga.ts.
 */
export const orderEvents = {
  'order.placed': z
    .object({ ...orderLines, ...slot, totalCents: cents('Lines and delivery fee, in cents', 997), currency: z.string().meta({ description: 'ISO 4217', examples: ['USD'] }) })
    .meta({ description: 'A pending order, from the cart', producers: ['place-order'] }),
  'order.confirmed': z.object(orderLines).meta({ description: 'pending (cash) or awaiting_payment (card, once authorised) → confirmed: its stock is held', producers: ['confirm-order', 'expire-pending-orders', 'stripe-webhook'] }),
  'order.cancelled': z.object({ ...orderLines, ...slot, reason }).meta({
    description: "An order cancelled, with the reason; what it held goes back to stock, and its slot's place",
    producers: ['cancel-order', 'update-order-status', 'reject-order', 'forget-user', 'expire-pending-orders', 'stripe-webhook'],
  }),
  'order.packed': z
    .object({
      orderId: id.meta({ description: "The order's id" }),
      userId: id.meta({ description: "The customer's id" }),
      productId: id.meta({ description: 'The line packed: the product ordered' }),
      packed: z
        .object({
          quantity: z.number().int().min(0).meta({ description: 'What went: units, or grams when sold by weight (0: none)', examples: [530] }),
          substituteId: id.optional().meta({ description: 'The product packed in its place, if any' }),
          lineTotalCents: cents('What the line costs as packed', 1855),
        })
        .meta({ description: 'The line as packed' }),
      by: z.string().meta({ description: 'The admin who packed it' }),
      subtotalCents: cents("The lines' total now", 1855),
      totalCents: cents('The final total now: what the card captures at shipping, or the cash due', 2154),
      currency: z.string().meta({ description: 'ISO 4217', examples: ['USD'] }),
    })
    .meta({ description: 'A line of a confirmed order packed: weighed, short or substituted; the order has a new final total', producers: ['pack-order-line'] }),
  'order.status_changed': z
    .object({ ...orderLines, from: status.meta({ description: 'The status it had' }), to: status.meta({ description: 'The status it has now' }), by: z.string().meta({ description: 'A user id, or `system` (the saga)' }), reason: reason.optional() })
    .meta({
      description: 'Every move of an order, beside order.confirmed and order.cancelled',
      producers: ['confirm-order', 'reject-order', 'cancel-order', 'update-order-status', 'forget-user', 'expire-pending-orders', 'stripe-webhook'],
    }),
};
