import { defineFunction } from '#platform/define-function.js';
import { cartItem } from '#domain/orders/inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  body: cartItem,
  handler: ({ body, caller, deps }) => deps.cart.add(caller.userId, body.productId, body.quantity),
});
