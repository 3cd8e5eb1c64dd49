import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { wishlist } from '#domain/cart/answers.js';

export default defineFunction({
  method: 'PUT',
  access: 'customer',
  summary: 'Wish for a product (no duplicates)',
  response: wishlist,
  errors: { PRODUCT_UNAVAILABLE: 'deleted', WISHLIST_FULL: '200 products' },
  params: z.object({ productId: id }),
  handler: ({ params, caller, deps }) => deps.cart.wish(caller.userId, params.productId),
});
