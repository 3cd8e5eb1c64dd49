import { defineFunction } from '#platform/define-function.js';
import { cart } from '#domain/cart/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'customer',
  summary: 'Your cart, with current names and prices',
  response: cart,
  handler: ({ caller, deps }) => deps.cart.view(caller.userId),
});
