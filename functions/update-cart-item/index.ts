import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { cartQuantity } from '#domain/orders/inputs.js';
import { cart } from '#domain/cart/answers.js';

/** A quantity (or grams) of 0 removes the line. */
export default defineFunction({
  method: 'PATCH',
  access: 'customer',
  summary: "Change a line's quantity or grams (0 removes it), or what you want if it cannot be packed",
  response: cart,
  errors: {
    PRODUCT_UNAVAILABLE: 'more of something unavailable',
    SOLD_BY_WEIGHT: 'quantity for a product sold by weight',
    SOLD_BY_PIECE: 'grams for a product sold by the piece',
    WEIGHT_NOT_ON_STEP: true,
    WEIGHT_BELOW_MINIMUM: true,
  },
  params: z.object({ productId: id }),
  body: cartQuantity,
  handler: ({ params, body, caller, deps }) => deps.cart.setLine(caller.userId, params.productId, body),
});
