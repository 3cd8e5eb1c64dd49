import { z } from 'zod';
import { pagination } from '../schemas.js';
import { orderStatuses } from '../orders/order.js';
import { paymentMethods as methods } from '../payments/provider.js';
import { normalisePostcode } from './zone.js';

/** Input shapes of the delivery functions. Bodies reject unknown fields. */
const cents = z.number().int('whole cents').min(0).max(10_000_000);
const money = (description: string, example: number) => cents.meta({ description: `${description}, in cents (0 to 10,000,000)`, examples: [example] });
const fee = money('Delivery fee', 399);
const minimum = money('The smallest subtotal the zone delivers (0: no minimum)', 2000);
const freeOver = money('Delivery is free from this subtotal on', 6000);
/** A postcode as a customer types it: the query of the quote and of the slots. */
const postalCode = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .meta({ description: "The delivery address's postcode, 16 characters at most; spaces, dashes and case do not matter", examples: ['10115'] });
const postcode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{0,11}\*?$/, 'a postcode, or a prefix ending in * (such as 123*)')
  .transform(normalisePostcode);

const zoneFields = {
  name: z.string().trim().min(1).max(100).meta({ description: "The zone's name, 1 to 100 characters", examples: ['City centre'] }),
  postcodes: z
    .array(postcode)
    .min(1)
    .max(1000)
    .refine((codes) => new Set(codes).size === codes.length, 'each postcode once')
    .meta({
      description:
        'The postcodes it covers (1 to 1000, each once): an exact code (12345), or a prefix ending in * (123*); stored upper case without spaces. None may fall in another zone',
      examples: [['10115', '101*']],
    }),
  feeCents: fee,
  minimumOrderCents: minimum,
  paymentMethods: z
    .array(z.enum(methods))
    .min(1)
    .max(methods.length)
    .refine((m) => new Set(m).size === m.length, 'each method once')
    .optional()
    .meta({
      description: 'How orders to the zone may be paid: cash_on_delivery, card (when the shop takes cards) or both; absent: every method the shop offers',
      examples: [['cash_on_delivery', 'card']],
    }),
};

export const newZone = z
  .strictObject({
    ...zoneFields,
    minimumOrderCents: minimum.default(0).meta({ description: 'The smallest subtotal the zone delivers, in cents (0 to 10,000,000); 0 when absent: no minimum' }),
    freeOverCents: freeOver.optional().meta({ description: 'Delivery is free from this subtotal on, in cents (0 to 10,000,000); absent: never free' }),
  })
  .meta({ examples: [{ name: 'City centre', postcodes: ['10115', '101*'], feeCents: 399, minimumOrderCents: 2000, freeOverCents: 6000 }] });

export const zoneChange = z
  .strictObject({
    name: zoneFields.name.optional(),
    postcodes: zoneFields.postcodes.optional(),
    feeCents: fee.optional(),
    minimumOrderCents: minimum.optional(),
    paymentMethods: zoneFields.paymentMethods,
    freeOverCents: cents
      .nullable()
      .optional()
      .meta({ description: 'Delivery is free from this subtotal on, in cents (0 to 10,000,000); null: delivery is never free', examples: [6000] }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'change at least one field');

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm, 24-hour');
const at = (description: string, example: string) =>
  time.meta({ description: `${description}: HH:mm, 24-hour, wall-clock time in the shop's time zone (SHOP_TIMEZONE)`, examples: [example] });
const day = z.iso.date('YYYY-MM-DD');
const date = (description: string, example: string) => day.meta({ description: `${description}: YYYY-MM-DD in the shop's time zone (SHOP_TIMEZONE)`, examples: [example] });
const capacity = (description: string, example: number) => z.number().int().min(0).max(10_000).meta({ description: `${description}, 0 to 10,000`, examples: [example] });

export const timetable = z
  .strictObject({
    slots: z
      .array(
        z
          .strictObject({
            weekday: z.number().int().min(1).max(7).meta({ description: 'ISO weekday: 1 = Monday … 7 = Sunday', examples: [1] }),
            start: at('When the slot starts', '11:00'),
            end: at('When it ends, after its start', '15:00'),
            capacity: capacity('Orders the slot takes', 50),
          })
          .refine((s) => s.end > s.start, { message: 'end after start', path: ['end'] }),
      )
      .max(200)
      .refine((slots) => new Set(slots.map((s) => `${s.weekday} ${s.start}`)).size === slots.length, 'one slot per weekday and start')
      .meta({ description: 'The weekly slots, 200 at most, one per weekday and start; empty: the zone delivers "in the next days", without slots' }),
    closedDays: z
      .array(date('A day', '2026-12-25'))
      .max(400)
      .default([])
      .meta({ description: "Days without deliveries (holidays), 400 at most: YYYY-MM-DD in the shop's time zone; none when absent" }),
    capacityOverrides: z
      .array(
        z.strictObject({
          date: date('The day', '2026-12-24'),
          start: at('The one slot of that day it changes; absent: every slot of the day', '11:00').optional(),
          capacity: capacity('Orders the slot(s) take that day instead', 20),
        }),
      )
      .max(400)
      .default([])
      .meta({ description: "One day's capacity instead of the timetable's, 400 at most; none when absent" }),
  })
  .meta({
    examples: [{ slots: [{ weekday: 1, start: '11:00', end: '15:00', capacity: 50 }], closedDays: ['2026-12-25'], capacityOverrides: [{ date: '2026-12-24', capacity: 20 }] }],
  });

export const postalCodeQuery = z.object({ postalCode });

export const slotsQuery = z.object({
  postalCode,
  from: day.optional().meta({ description: "The first day, in the shop's time zone; today when absent" }),
  days: z.coerce.number().int().min(1).max(14).default(7).meta({ description: 'How many days from `from` on, 1 to 14; 7 when absent', examples: [7] }),
});

export const slotOrdersQuery = z.object({
  ...pagination,
  status: z.enum(orderStatuses).optional().meta({ description: 'Only the orders in this status; every status when absent', examples: ['confirmed'] }),
});

export type NewZone = z.output<typeof newZone>;
export type ZoneChange = z.output<typeof zoneChange>;
export type Timetable = z.output<typeof timetable>;
