import { defineFunction } from '#platform/define-function.js';
import { cartItem } from '#domain/orders/inputs.js';
import { cart } from '#domain/cart/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  summary: 'Add a product to your cart (adds to its line)',
  response: cart,
  errors: { NOT_FOUND: 'no such product', PRODUCT_UNAVAILABLE: true, QUANTITY_LIMIT: '99 of a product', CART_FULL: '50 products' },
  body: cartItem,
  handler: ({ body, caller, deps }) => deps.cart.add(caller.userId, body.productId, body.quantity),
});
