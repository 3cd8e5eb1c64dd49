import { z } from 'zod';
import { cents, id } from '../schemas.js';
import { taxClassAnswer, taxesAnswer } from '../catalog/tax.js';
import { soldBy } from '../catalog/weight.js';
import { IF_UNAVAILABLE } from './cart.js';

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
        by: soldBy,
        unitPriceCents: cents("Price of one unit now, or of one kilogram when sold by weight, in cents (the catalog's)", 349),
        quantity: z.number().int().min(1).max(99).optional().meta({ description: 'Sold by the piece: units in the cart', examples: [2] }),
        grams: z.number().int().min(1).optional().meta({ description: 'Sold by weight: grams in the cart', examples: [500] }),
        lineTotalCents: cents('unitPriceCents × quantity; by weight, the estimate unitPriceCents × grams / 1000 rounded half up (the weighed weight is paid)', 698),
        taxClass: taxClassAnswer,
        ifUnavailable: z.enum(IF_UNAVAILABLE).meta({ description: 'If it cannot be packed: substitute or none (refunded)' }),
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
