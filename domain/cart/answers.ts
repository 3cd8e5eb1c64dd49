import { z } from 'zod';
import { id } from '../schemas.js';

/** What the cart and wishlist functions answer, documented and serialised from here. */
const images = {
  imageUrl: z.string().optional(),
  thumbnailUrl: z.string().optional(),
  available: z.boolean().meta({ description: 'False once the product is deleted or unavailable: kept, never ordered' }),
};

export const cart = z.object({
  items: z.array(
    z.object({
      productId: id,
      name: z.string(),
      unitPriceCents: z.number().int(),
      quantity: z.number().int(),
      lineTotalCents: z.number().int(),
      ...images,
    }),
  ),
  subtotalCents: z.number().int().meta({ description: 'Of the available lines only' }),
  currency: z.string(),
});

export const wishlist = z.object({
  items: z.array(z.object({ productId: id, name: z.string(), priceCents: z.number().int(), currency: z.string(), ...images })),
});
