import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { wishlist } from '#domain/cart/answers.js';

export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  summary: 'Remove a product from your wishlist',
  response: wishlist,
  params: z.object({ productId: id }),
  handler: ({ params, caller, deps }) => deps.cart.unwish(caller.userId, params.productId),
});
