import { z } from 'zod';
import { pagination } from '../schemas.js';
import { orderStatuses } from '../orders/order.js';
import { normalisePostcode } from './zone.js';

/** Input shapes of the delivery functions. Bodies reject unknown fields. */
const cents = z.number().int('whole cents').min(0).max(10_000_000);
const postcode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{0,11}\*?$/, 'a postcode, or a prefix ending in * (such as 123*)')
  .transform(normalisePostcode);

const zoneFields = {
  name: z.string().trim().min(1).max(100),
  postcodes: z
    .array(postcode)
    .min(1)
    .max(1000)
    .refine((codes) => new Set(codes).size === codes.length, 'each postcode once'),
  feeCents: cents,
  minimumOrderCents: cents,
};

export const newZone = z
  .strictObject({ ...zoneFields, minimumOrderCents: cents.default(0), freeOverCents: cents.optional() })
  .meta({ examples: [{ name: 'City centre', postcodes: ['10115', '101*'], feeCents: 399, minimumOrderCents: 2000, freeOverCents: 6000 }] });

export const zoneChange = z
  .strictObject({
    name: zoneFields.name.optional(),
    postcodes: zoneFields.postcodes.optional(),
    feeCents: cents.optional(),
    minimumOrderCents: cents.optional(),
    freeOverCents: cents.nullable().optional().meta({ description: 'null: delivery is never free' }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'change at least one field');

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm, 24-hour');
const day = z.iso.date('YYYY-MM-DD');

export const timetable = z
  .strictObject({
    slots: z
      .array(
        z
          .strictObject({ weekday: z.number().int().min(1).max(7).meta({ description: '1 = Monday … 7 = Sunday' }), start: time, end: time, capacity: z.number().int().min(0).max(10_000) })
          .refine((s) => s.end > s.start, { message: 'end after start', path: ['end'] }),
      )
      .max(200)
      .refine((slots) => new Set(slots.map((s) => `${s.weekday} ${s.start}`)).size === slots.length, 'one slot per weekday and start'),
    closedDays: z.array(day).max(400).default([]),
    capacityOverrides: z
      .array(z.strictObject({ date: day, start: time.optional().meta({ description: 'One slot of that day; absent: every slot' }), capacity: z.number().int().min(0).max(10_000) }))
      .max(400)
      .default([]),
  })
  .meta({
    examples: [{ slots: [{ weekday: 1, start: '11:00', end: '15:00', capacity: 50 }], closedDays: ['2026-12-25'], capacityOverrides: [{ date: '2026-12-24', capacity: 20 }] }],
  });

export const postalCodeQuery = z.object({ postalCode: z.string().trim().min(1).max(16) });

export const slotsQuery = z.object({
  postalCode: z.string().trim().min(1).max(16),
  from: day.optional().meta({ description: "The first day, in the shop's time zone; today when absent" }),
  days: z.coerce.number().int().min(1).max(14).default(7),
});

export const slotOrdersQuery = z.object({ ...pagination, status: z.enum(orderStatuses).optional() });

export type NewZone = z.output<typeof newZone>;
export type ZoneChange = z.output<typeof zoneChange>;
export type Timetable = z.output<typeof timetable>;
