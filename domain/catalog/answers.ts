import { z } from 'zod';
import { cents, id, page, timestamp } from '../schemas.js';
import { foodAnswer } from './food-answers.js';
import { taxClassAnswer } from './tax.js';
import { sellingAnswer } from './weight.js';

/** What the catalog functions answer: the API's shapes, documented and serialised from here. */
export const product = z.object({
  id: id.meta({ description: "The product's id", examples: ['6750a1c2e4b0f3a9d2c81e07'] }),
  name: z.string().meta({ description: "The product's name", examples: ['Gala apples'] }),
  description: z.string().meta({ description: 'A sentence or two about it', examples: ['Mild, sweet and crisp.'] }),
  category: z.string().meta({ description: "The category's slug", examples: ['fruit'] }),
  priceCents: cents('Price of one unit in integer minor units (cents): 349 is $3.49; sold by weight, of one kilogram (pricePerKgCents)', 349),
  ...sellingAnswer,
  currency: z.string().meta({ description: 'ISO 4217', examples: ['USD'] }),
  stock: z
    .number()
    .int()
    .meta({ description: 'Available: what orders can still take (onHand less what unshipped orders hold); grams when sold by weight', examples: [37] }),
  onHand: z
    .number()
    .int()
    .meta({ description: 'On the shelves: set by stocktakes, moved by deliveries and losses, taken when an order ships; grams when sold by weight', examples: [40] }),
  unit: z.string().meta({ description: 'What one is: each, kg, 400 g punnet, …', examples: ['kg'] }),
  taxClass: taxClassAnswer,
  imageUrl: z.string().optional().meta({ description: 'The image, when it has one', examples: ['/media/3f2a9c1e5b7d4a60.jpg'] }),
  thumbnailUrl: z.string().optional().meta({ description: 'A small version of the image', examples: ['/media/3f2a9c1e5b7d4a60.jpg'] }),
  available: z.boolean().meta({ description: 'Whether customers see it and may order it' }),
  ...foodAnswer,
  createdAt: timestamp.meta({ description: 'When it was added (ISO 8601, UTC)' }),
  updatedAt: timestamp.meta({ description: 'When it last changed (ISO 8601, UTC)' }),
});

export const productAnswer = z.object({ product: product.meta({ description: 'The product' }) });
export const productsPage = page(product);

export const category = z.object({
  id: id.meta({ description: "The category's id" }),
  name: z.string().meta({ description: "The category's name", examples: ['Fruit'] }),
  slug: z.string().meta({ description: 'Its name in URLs and in products', examples: ['fruit'] }),
});
export const categoryAnswer = z.object({ category: category.meta({ description: 'The category' }) });
export const categories = z.object({ items: z.array(category).meta({ description: 'Every category, by name' }) });
