import { z } from 'zod';
import { id, page, timestamp } from '../schemas.js';

/** What the catalog functions answer: the API's shapes, documented and serialised from here. */
export const product = z.object({
  id,
  name: z.string(),
  description: z.string(),
  category: z.string().meta({ description: "The category's slug" }),
  priceCents: z.number().int().meta({ description: 'Integer minor units (cents)' }),
  currency: z.string(),
  stock: z.number().int().meta({ description: 'Available: what orders can still take (onHand less what unshipped orders hold)' }),
  onHand: z.number().int().meta({ description: 'On the shelves: set by stocktakes, moved by deliveries and losses, taken when an order ships' }),
  unit: z.string(),
  imageUrl: z.string().optional(),
  thumbnailUrl: z.string().optional(),
  available: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const productAnswer = z.object({ product });
export const productsPage = page(product);

export const category = z.object({ id, name: z.string(), slug: z.string() });
export const categoryAnswer = z.object({ category });
export const categories = z.object({ items: z.array(category) });
