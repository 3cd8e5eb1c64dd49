import { z } from 'zod';
import { moment, pagination } from '../schemas.js';
import { newAddress } from '../users/inputs.js';
import { orderStatuses } from './order.js';

/** Input shapes of the cart, wishlist and order functions. Bodies reject unknown fields. */
const productId = z.string().min(1).max(64);
export const quantity = z.number().int('a whole number').min(1).max(99);

export const cartItem = z.strictObject({ productId, quantity }).meta({ examples: [{ productId: '6b0bfe8f0855634780327c5d', quantity: 2 }] });
export const cartQuantity = z.strictObject({ quantity: z.number().int('a whole number').min(0).max(99) });

export const idempotencyKey = z
  .string({ error: 'send an Idempotency-Key header (any unique string, such as a UUID)' })
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const placeOrder = z
  .strictObject({
    addressId: z.string().min(1).max(64).optional(),
    address: newAddress.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((b) => (b.addressId === undefined) !== (b.address === undefined), {
    message: 'give addressId (one of your addresses) or address, not both',
    path: ['addressId'],
  })
  .meta({ examples: [{ address: { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, note: 'Ring twice' }] });

const status = z.enum(orderStatuses);

export const orderListQuery = z.object({ ...pagination, status: status.optional() });

export const allOrdersQuery = z
  .object({
    ...pagination,
    status: status.optional(),
    userId: z.string().min(1).max(64).optional(),
    from: moment.optional(),
    to: moment.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const statusChange = z.strictObject({ status });

export type PlaceOrder = z.output<typeof placeOrder>;
export type AllOrdersQuery = z.output<typeof allOrdersQuery>;
