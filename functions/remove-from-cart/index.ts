import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { cart } from '#domain/cart/answers.js';

export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  summary: 'Remove a line from your cart',
  response: cart,
  params: z.object({ productId: id }),
  handler: ({ params, caller, deps }) => deps.cart.remove(caller.userId, params.productId),
});
