import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { cartQuantity } from '#domain/orders/inputs.js';
import { cart } from '#domain/cart/answers.js';

/** A quantity of 0 removes the line. */
export default defineFunction({
  method: 'PATCH',
  access: 'customer',
  summary: "Change a line's quantity (0 removes it)",
  response: cart,
  errors: { PRODUCT_UNAVAILABLE: 'more of something unavailable' },
  params: z.object({ productId: id }),
  body: cartQuantity,
  handler: ({ params, body, caller, deps }) => deps.cart.setQuantity(caller.userId, params.productId, body.quantity),
});
