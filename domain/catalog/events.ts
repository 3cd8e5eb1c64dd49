import { z } from 'zod';
import { SLOT_ID, SLOT_ID_EXAMPLE } from '../delivery/answers.js';
import { id } from '../schemas.js';
import { product } from './answers.js';

/**
 * The events of the catalog and its stock: name → the schema of its `data`, with what it means
 * and the functions that emit it. To add an event, add its line here (domain/events.ts merges
 * every area's), then emit it with `event('product.…', data, meta)`.
 */
export const catalogEvents = {
  'category.created': z
    .object({
      id,
      name: z.string().meta({ description: "The category's name", examples: ['Fruit & vegetables'] }),
      slug: z.string().meta({ description: 'Its slug, as product listings filter by it', examples: ['fruit-vegetables'] }),
    })
    .meta({ description: 'A new category', producers: ['create-category'] }),
  'category.updated': z
    .object({ slug: z.string().meta({ description: 'The new slug when it changed, else the current one' }), name: z.string().optional().meta({ description: 'The new name, when it changed', examples: ['Fruit & vegetables'] }) })
    .meta({ description: 'A category renamed or given a new slug (its products moved along)', producers: ['update-category'] }),
  'category.deleted': z.object({ slug: z.string().meta({ description: 'The slug it had', examples: ['fruit-vegetables'] }) }).meta({ description: 'A category no product used any more was deleted', producers: ['delete-category'] }),
  'product.created': product.meta({ description: 'A new product, as get-product answers it', producers: ['create-product'] }),
  'product.updated': z
    .object({ id, changed: z.array(z.string()).meta({ description: 'The fields the change named' }) })
    .meta({ description: 'Fields, stock or the image of a product changed', producers: ['update-product', 'upload-product-image'] }),
  'product.deleted': z.object({ id }).meta({ description: 'A product was deleted (kept for the record, never read again)', producers: ['delete-product'] }),
  'stock.reserved': z
    .object({ orderId: id })
    .meta({ description: "Every line of the order holds its stock, and the order its delivery slot's place", producers: ['reserve-stock'] }),
  'stock.rejected': z
    .object({
      orderId: id,
      productId: id.optional().meta({ description: 'out_of_stock: the first product short of stock' }),
      slotId: id.optional().meta({ description: `slot_full: the delivery slot without room. ${SLOT_ID}`, examples: [SLOT_ID_EXAMPLE] }),
      reason: z.enum(['out_of_stock', 'slot_full']).meta({ description: 'out_of_stock: a product is short of stock; slot_full: the delivery slot has no place left' }),
    })
    .meta({ description: 'The order cannot have its stock or its slot: it holds none of them', producers: ['reserve-stock'] }),
};
