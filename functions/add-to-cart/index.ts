import { defineFunction } from '#platform/define-function.js';
import { cartItem } from '#domain/orders/inputs.js';
import { cart } from '#domain/cart/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  summary: 'Add a product to your cart (adds to its line): a quantity, or grams of a product sold by weight',
  response: cart,
  errors: {
    NOT_FOUND: 'no such product',
    PRODUCT_UNAVAILABLE: true,
    QUANTITY_LIMIT: '99 of a product',
    CART_FULL: '50 products',
    SOLD_BY_WEIGHT: 'quantity for a product sold by weight',
    SOLD_BY_PIECE: 'grams for a product sold by the piece',
    WEIGHT_NOT_ON_STEP: true,
    WEIGHT_BELOW_MINIMUM: true,
    WEIGHT_LIMIT: '10 kg of a product',
  },
  body: cartItem,
  handler: ({ body: { productId, ...line }, caller, deps }) => deps.cart.add(caller.userId, productId, line),
});
