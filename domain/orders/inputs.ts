import { z } from 'zod';
import { moment, pagination } from '../schemas.js';
import { newAddress } from '../users/inputs.js';
import { paymentMethods } from '../payments/provider.js';
import { orderStatuses } from './order.js';
import { IF_UNAVAILABLE } from '../cart/cart.js';
import { MAX_LINE_GRAMS } from '../catalog/weight.js';
import { MAX_STOCK } from '../catalog/product.js';

/** Input shapes of the cart, wishlist and order functions. Bodies reject unknown fields. */
const productId = z.string().min(1).max(64).meta({ description: "The product's id", examples: ['6750a1c2e4b0f3a9d2c81e07'] });
export const quantity = z.number().int('a whole number').min(1).max(99).meta({ description: 'How many to add, 1 to 99', examples: [2] });

const grams = (min: number, description: string) =>
  z.number().int('whole grams').min(min).max(MAX_LINE_GRAMS).meta({ description, examples: [500] });
const ifUnavailable = z.enum(IF_UNAVAILABLE).meta({
  description: "If it cannot be packed: substitute (a similar product the shop chooses, at the lower of the two prices) or none (the line is refunded); none when never set",
  examples: ['substitute'],
});
const oneAmount = (b: { quantity?: number; grams?: number }) => b.quantity === undefined || b.grams === undefined;

export const cartItem = z
  .strictObject({
    productId,
    quantity: quantity.optional().meta({ description: 'Sold by the piece: how many to add, 1 to 99' }),
    grams: grams(1, `Sold by weight: how many grams to add, on the product's step and at least its minimum (${MAX_LINE_GRAMS} g a line at most)`).optional(),
    ifUnavailable: ifUnavailable.optional(),
  })
  .refine(oneAmount, { message: 'send quantity (sold by the piece) or grams (sold by weight), not both', path: ['grams'] })
  .refine((b) => b.quantity !== undefined || b.grams !== undefined, { message: 'send quantity (sold by the piece) or grams (sold by weight)', path: ['quantity'] })
  .meta({ examples: [{ productId: '6b0bfe8f0855634780327c5d', quantity: 2 }, { productId: '6b0bfe8f0855634780327c5e', grams: 500, ifUnavailable: 'substitute' }] });
export const cartQuantity = z
  .strictObject({
    quantity: z.number().int('a whole number').min(0).max(99).optional().meta({ description: 'Sold by the piece: the new quantity, 0 to 99 (0 removes the line)', examples: [3] }),
    grams: grams(0, "Sold by weight: the new weight in grams, on the product's step (0 removes the line)").optional(),
    ifUnavailable: ifUnavailable.optional(),
  })
  .refine(oneAmount, { message: 'send quantity (sold by the piece) or grams (sold by weight), not both', path: ['grams'] })
  .refine((b) => Object.keys(b).length > 0, 'send quantity, grams or ifUnavailable');

export const idempotencyKey = z
  .string({ error: 'send an Idempotency-Key header (any unique string, such as a UUID)' })
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .meta({
    description: 'Any unique string you make for this order, such as a UUID: the same key sent again answers the same order, never a second one',
    examples: ['3f1c9a52-8e7b-4d2a-9c61-0b5e7d4f2a18'],
  });

export const placeOrder = z
  .strictObject({
    addressId: z.string().min(1).max(64).optional().meta({ description: 'One of your addresses (its id); or send address', examples: ['6750a1c2e4b0f3a9d2c81e09'] }),
    address: newAddress.optional().meta({ description: 'Where to deliver, given here; or send addressId' }),
    note: z.string().trim().max(500).optional().meta({ description: 'For the delivery, 500 characters at most', examples: ['Ring twice'] }),
    slotId: z.string().min(1).max(64).optional().meta({ description: 'A delivery slot of the address\'s zone (GET /api/delivery/slots); required when the zone has a timetable' }),
    paymentMethod: z.enum(paymentMethods).optional().meta({
      description:
        'How the order is paid: cash_on_delivery (the default), or card (through Stripe, when the shop takes cards: the order then awaits its payment, and GET /api/orders/:id gives you the client secret to pay with). The address\'s zone may take only one of them',
      examples: ['card'],
    }),
  })
  .refine((b) => (b.addressId === undefined) !== (b.address === undefined), {
    message: 'give addressId (one of your addresses) or address, not both',
    path: ['addressId'],
  })
  .meta({ examples: [{ address: { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, note: 'Ring twice' }] });

const status = z.enum(orderStatuses);
const statusFilter = status.optional().meta({ description: 'Only orders in this status' });

export const orderListQuery = z.object({ ...pagination, status: statusFilter });

export const allOrdersQuery = z
  .object({
    ...pagination,
    status: statusFilter,
    userId: z.string().min(1).max(64).optional().meta({ description: "Only this customer's orders (the user's id)", examples: ['6750a1c2e4b0f3a9d2c81e07'] }),
    from: moment('start').optional(),
    to: moment('end').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const statusChange = z.strictObject({
  status: status.meta({ description: 'The status to move the order to: a confirmed order to shipped (or cancelled), a shipped one to delivered', examples: ['shipped'] }),
});

export const packLine = z
  .strictObject({
    packedGrams: z
      .number()
      .int('whole grams')
      .min(0)
      .max(MAX_STOCK)
      .optional()
      .meta({ description: "Sold by weight: the grams weighed, up to the line's maxGrams (0: none went, the line is refunded)", examples: [530] }),
    packedQuantity: z
      .number()
      .int('a whole number')
      .min(0)
      .max(99)
      .optional()
      .meta({ description: 'Sold by the piece: the units that went, at most those ordered (fewer: short; 0: none, the line is refunded)', examples: [1] }),
    substituteId: productId.optional().meta({
      description: "Another product packed in the line's place, sold the same way and charged at the lower of the two prices; only on a line marked ifUnavailable: substitute",
    }),
  })
  .refine((b) => (b.packedGrams === undefined) !== (b.packedQuantity === undefined), {
    message: 'send packedGrams (a line sold by weight) or packedQuantity (by the piece), one of them',
    path: ['packedGrams'],
  })
  .meta({ examples: [{ packedGrams: 530 }, { packedQuantity: 1 }, { packedQuantity: 2, substituteId: '6750a1c2e4b0f3a9d2c81e0a' }] });

export const refundInput = z
  .strictObject({
    amountCents: z.number().int('whole cents').min(1).max(100_000_000).meta({ description: 'How much to give back, in cents: at most what was captured and not yet refunded', examples: [300] }),
    reason: z.string().trim().min(1).max(500).meta({ description: 'Why, 1 to 500 characters (kept on the order)', examples: ['bruised apples'] }),
  })
  .meta({ examples: [{ amountCents: 300, reason: 'bruised apples' }] });

export type PlaceOrder = z.output<typeof placeOrder>;
export type AllOrdersQuery = z.output<typeof allOrdersQuery>;
