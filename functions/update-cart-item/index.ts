import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';
import { cartQuantity } from '#domain/orders/inputs.js';

/** A quantity of 0 removes the line. */
export default defineFunction({
  method: 'PATCH',
  access: 'customer',
  params: z.object({ productId: id }),
  body: cartQuantity,
  handler: ({ params, body, caller, deps }) => deps.cart.setQuantity(caller.userId, params.productId, body.quantity),
});
