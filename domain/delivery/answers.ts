import { z } from 'zod';
import { cents, id, timestamp } from '../schemas.js';
import { paymentMethods } from '../payments/provider.js';

/** What the delivery functions answer, documented and serialised from here. */
const text = (description: string, example: string) => z.string().meta({ description, examples: [example] });
const time = (description: string, example: string) => text(`${description}: HH:mm, 24-hour, wall-clock time in the shop's time zone (SHOP_TIMEZONE)`, example);
const day = (description: string, example: string) => text(`${description}: YYYY-MM-DD in the shop's time zone (SHOP_TIMEZONE)`, example);
const places = (description: string, example: number) => z.number().int().min(0).max(10_000).meta({ description, examples: [example] });

/** A slot id, as GET /api/delivery/slots lists it and POST /api/orders takes it. */
export const SLOT_ID =
  "A slot's id: `<zone id>-<yyyyMMdd>-<HHmm>`, the zone, the day and the start in the shop's time zone (SHOP_TIMEZONE), as GET /api/delivery/slots lists it";
export const SLOT_ID_EXAMPLE = '6750a1c2e4b0f3a9d2c81e07-20261207-1100';

const zoneName = text("The zone's name", 'City centre');
const zoneRef = z.object({ id: id.meta({ description: "The zone's id" }), name: zoneName });
const fee = cents("The zone's delivery fee, in cents (0 over the free-over subtotal)", 399);
const minimum = cents('The smallest subtotal the zone delivers, in cents (0: no minimum)', 2000);
const freeOver = cents('Delivery is free from this subtotal on, in cents; absent: never free', 6000).optional();

export const zone = z.object({
  id: id.meta({ description: "The zone's id" }),
  name: zoneName,
  postcodes: z
    .array(z.string())
    .meta({ description: 'The postcodes it covers: upper case without spaces; a trailing * makes a prefix', examples: [['10115', '101*']] }),
  feeCents: cents('Delivery fee, in cents (0 over freeOverCents)', 399),
  minimumOrderCents: minimum,
  freeOverCents: freeOver,
  paymentMethods: z
    .array(z.enum(paymentMethods))
    .optional()
    .meta({ description: 'How orders to the zone may be paid; absent: every method the shop offers (cash on delivery, and cards when it takes them)' }),
  timetable: z
    .array(
      z.object({
        weekday: z.number().int().min(1).max(7).meta({ description: 'ISO weekday: 1 = Monday … 7 = Sunday', examples: [1] }),
        start: time('When the slot starts', '11:00'),
        end: time('When it ends', '15:00'),
        capacity: places('Orders the slot takes', 50),
      }),
    )
    .meta({ description: 'The weekly slots; empty: the zone delivers "in the next days", without slots' }),
  closedDays: z.array(z.string()).meta({ description: "Days without deliveries (holidays): YYYY-MM-DD in the shop's time zone", examples: [['2026-12-25']] }),
  capacityOverrides: z
    .array(
      z.object({
        date: day('The day', '2026-12-24'),
        start: time('The one slot of that day it changes; absent: every slot of the day', '11:00').optional(),
        capacity: places('Orders the slot(s) take that day instead', 20),
      }),
    )
    .meta({ description: "One day's capacity instead of the timetable's" }),
  createdAt: timestamp.meta({ description: 'When it was created (ISO 8601, UTC)' }),
  updatedAt: timestamp.meta({ description: 'When it last changed (ISO 8601, UTC)' }),
});

export const zoneAnswer = z.object({ zone: zone.meta({ description: 'The delivery zone' }) });
export const zones = z.object({ items: z.array(zone).meta({ description: 'Every delivery zone, by name' }) });

export const quote = z.object({
  zone: zoneRef.nullable().meta({ description: "The postcode's zone; null while the shop has no delivery zones: it delivers anywhere, free" }),
  feeCents: fee,
  minimumOrderCents: minimum,
  freeOverCents: freeOver,
  slots: z.boolean().meta({ description: 'Whether orders here choose a delivery slot' }),
  paymentMethods: z
    .array(z.enum(paymentMethods))
    .meta({ description: "How orders here may be paid now: the zone's methods that the shop offers (card only with Stripe set up)", examples: [['cash_on_delivery', 'card']] }),
});

export const slots = z.object({
  zone: zoneRef.nullable().meta({ description: "The postcode's zone; null while the shop has no delivery zones (then no slots)" }),
  items: z
    .array(
      z.object({
        id: text(SLOT_ID, SLOT_ID_EXAMPLE),
        date: day('The day', '2026-12-07'),
        start: timestamp.meta({ description: 'When the slot starts (ISO 8601, UTC)', examples: ['2026-12-07T10:00:00.000Z'] }),
        end: timestamp.meta({ description: 'When it ends (ISO 8601, UTC)', examples: ['2026-12-07T14:00:00.000Z'] }),
        capacity: places('Orders the slot takes that day', 50),
        left: places('Places left: capacity less the orders holding one', 12),
        status: z.enum(['open', 'full', 'closed']).meta({ description: 'open; full: no place left; closed: a closed day, or past its cut-off' }),
      }),
    )
    .meta({ description: 'The slots of the days asked, by start' }),
});

/** The cart's delivery, for one of the customer's addresses (GET /api/cart?addressId=). */
export const cartDelivery = z.object({
  zone: zoneRef.nullable().meta({ description: "The address's zone; null while the shop has no delivery zones: it delivers anywhere, free" }),
  feeCents: cents('The delivery fee for this subtotal, in cents (0 over the free-over subtotal)', 399),
  minimumOrderCents: minimum,
  freeOverCents: freeOver,
  missingCents: cents('What the subtotal lacks to reach the minimum order, in cents (0: none)', 0),
  totalCents: cents('Subtotal and fee, in cents', 4399),
});
