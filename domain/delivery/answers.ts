import { z } from 'zod';
import { id, timestamp } from '../schemas.js';

/** What the delivery functions answer, documented and serialised from here. */
const time = z.string().meta({ examples: ['11:00'] });

export const zone = z.object({
  id,
  name: z.string(),
  postcodes: z.array(z.string()).meta({ description: 'Upper case without spaces; a trailing * makes a prefix' }),
  feeCents: z.number().int(),
  minimumOrderCents: z.number().int(),
  freeOverCents: z.number().int().optional(),
  timetable: z.array(z.object({ weekday: z.number().int(), start: time, end: time, capacity: z.number().int() })),
  closedDays: z.array(z.string()),
  capacityOverrides: z.array(z.object({ date: z.string(), start: time.optional(), capacity: z.number().int() })),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const zoneAnswer = z.object({ zone });
export const zones = z.object({ items: z.array(zone) });

export const quote = z.object({
  zone: z.object({ id, name: z.string() }).nullable().meta({ description: 'null while the shop has no delivery zones: it delivers anywhere, free' }),
  feeCents: z.number().int(),
  minimumOrderCents: z.number().int(),
  freeOverCents: z.number().int().optional(),
  slots: z.boolean().meta({ description: 'Whether orders here choose a delivery slot' }),
});

export const slots = z.object({
  zone: z.object({ id, name: z.string() }).nullable(),
  items: z.array(
    z.object({
      id,
      date: z.string().meta({ description: "The day, in the shop's time zone" }),
      start: timestamp,
      end: timestamp,
      capacity: z.number().int(),
      left: z.number().int(),
      status: z.enum(['open', 'full', 'closed']).meta({ description: `closed: a closed day, or past its cut-off` }),
    }),
  ),
});

/** The cart's delivery, for one of the customer's addresses (GET /api/cart?addressId=). */
export const cartDelivery = z.object({
  zone: z.object({ id, name: z.string() }).nullable(),
  feeCents: z.number().int(),
  minimumOrderCents: z.number().int(),
  freeOverCents: z.number().int().optional(),
  missingCents: z.number().int().meta({ description: 'What the subtotal lacks to reach the minimum order' }),
  totalCents: z.number().int().meta({ description: 'Subtotal and fee' }),
});
