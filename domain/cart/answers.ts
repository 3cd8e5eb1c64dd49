import { z } from 'zod';
import { cents, id } from '../schemas.js';
import { taxClassAnswer, taxesAnswer } from '../catalog/tax.js';

/** What the cart and wishlist functions answer, documented and serialised from here. */
const images = {
  imageUrl: z.string().optional().meta({ description: "The product's image, when it has one", examples: ['/media/3f2a9c1e5b7d4a60.jpg'] }),
  thumbnailUrl: z.string().optional().meta({ description: 'A small version of the image', examples: ['/media/3f2a9c1e5b7d4a60.jpg'] }),
  available: z.boolean().meta({ description: 'False once the product is deleted or unavailable: kept, never ordered' }),
};

const productId = id.meta({ description: "The product's id" });
const name = z.string().meta({ description: "The product's name", examples: ['Gala apples'] });
const currency = z.string().meta({ description: 'ISO 4217', examples: ['USD'] });

export const cart = z.object({
  items: z
    .array(
      z.object({
        productId,
        name,
        unitPriceCents: cents("Price of one unit now, in cents (the catalog's)", 349),
        quantity: z.number().int().min(1).max(99).meta({ description: 'Units in the cart', examples: [2] }),
        lineTotalCents: cents('unitPriceCents × quantity', 698),
        taxClass: taxClassAnswer,
        ...images,
      }),
    )
    .meta({ description: 'One line per product, in the order they were added' }),
  subtotalCents: cents('Of the available lines only, in cents', 698),
  taxes: taxesAnswer('subtotalCents'),
  currency,
});

export const wishlist = z.object({
  items: z
    .array(z.object({ productId, name, priceCents: cents('Price of one unit now, in cents', 349), currency, ...images }))
    .meta({ description: 'The products you keep an eye on, 200 at most' }),
});
