import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';

export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  params: z.object({ productId: id }),
  handler: ({ params, caller, deps }) => deps.cart.unwish(caller.userId, params.productId),
});
