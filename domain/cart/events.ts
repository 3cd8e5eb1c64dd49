import { z } from 'zod';
import { id } from '../schemas.js';

/**
 * The events of carts: name → the schema of its `data`, with what it means and the functions
 * that emit it (domain/events.ts merges every area's).
 */
export const cartEvents = {
  'cart.abandoned': z
    .object({
      userId: id,
      items: z.array(
        z.object({
          productId: z.string(),
          name: z.string(),
          quantity: z.number().int().meta({ description: 'Units, or grams when `by` is weight' }),
          by: z.enum(['weight']).optional().meta({ description: 'weight: the line is in grams (a product sold by weight); absent: units' }),
        }),
      ),
    })
    .meta({
      description: 'A cart untouched for ABANDONED_CART_HOURS, of a customer who opted in to marketing mail; once per cart state',
      producers: ['remind-abandoned-carts'],
    }),
};
