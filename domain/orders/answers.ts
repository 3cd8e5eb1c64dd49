import { z } from 'zod';
import { id, page, timestamp } from '../schemas.js';
import { orderStatuses } from './order.js';

/** What the order functions answer, documented and serialised from here. */
const status = z.enum(orderStatuses);

export const order = z.object({
  id,
  userId: id,
  status,
  items: z.array(
    z.object({ productId: id, name: z.string(), unitPriceCents: z.number().int(), quantity: z.number().int(), lineTotalCents: z.number().int() }),
  ),
  subtotalCents: z.number().int().meta({ description: "The lines' total" }),
  deliveryFeeCents: z.number().int(),
  totalCents: z.number().int().meta({ description: 'subtotalCents + deliveryFeeCents' }),
  currency: z.string(),
  delivery: z
    .object({
      zone: z.object({ id, name: z.string() }),
      slot: z.object({ id, start: timestamp, end: timestamp }).optional(),
    })
    .optional()
    .meta({ description: 'The delivery zone and slot; absent while the shop has no delivery zones' }),
  address: z
    .object({
      label: z.string().optional(),
      street: z.string().optional(),
      city: z.string().optional(),
      postalCode: z.string().optional(),
      country: z.string(),
    })
    .meta({ description: 'As given at placement; only the country is kept once the customer deleted their account' }),
  note: z.string().optional(),
  cancelReason: z.string().optional(),
  history: z.array(
    z.object({
      status,
      at: timestamp,
      by: z.string().meta({ description: 'The user who moved it, or `system` (the saga)' }),
      reason: z.string().optional(),
    }),
  ),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const orderAnswer = z.object({ order });
export const ordersPage = page(order);
