import { z } from 'zod';
import { id } from '../schemas.js';
import { product } from './answers.js';

/**
 * The events of the catalog and its stock: name → the schema of its `data`, with what it means
 * and the functions that emit it. To add an event, add its line here (domain/events.ts merges
 * every area's), then emit it with `event('product.…', data, meta)`.
 */
export const catalogEvents = {
  'category.created': z.object({ id, name: z.string(), slug: z.string() }).meta({ description: 'A new category', producers: ['create-category'] }),
  'category.updated': z
    .object({ slug: z.string().meta({ description: 'The new slug when it changed, else the current one' }), name: z.string().optional() })
    .meta({ description: 'A category renamed or given a new slug (its products moved along)', producers: ['update-category'] }),
  'category.deleted': z.object({ slug: z.string() }).meta({ description: 'A category no product used any more was deleted', producers: ['delete-category'] }),
  'product.created': product.meta({ description: 'A new product, as get-product answers it', producers: ['create-product'] }),
  'product.updated': z
    .object({ id, changed: z.array(z.string()).meta({ description: 'The fields the change named' }) })
    .meta({ description: 'Fields, stock or the image of a product changed', producers: ['update-product', 'upload-product-image'] }),
  'product.deleted': z.object({ id }).meta({ description: 'A product was deleted (kept for the record, never read again)', producers: ['delete-product'] }),
  'stock.reserved': z.object({ orderId: id }).meta({ description: "Every line of the order holds its stock", producers: ['reserve-stock'] }),
  'stock.rejected': z
    .object({ orderId: id, productId: id.meta({ description: 'The first product short of stock' }), reason: z.enum(['out_of_stock']) })
    .meta({ description: 'The order cannot have its stock: it holds none of it', producers: ['reserve-stock'] }),
};
