import { defineFunction } from '#platform/define-function.js';

export default defineFunction({
  method: 'GET',
  access: 'customer',
  handler: ({ caller, deps }) => deps.cart.wishlist(caller.userId),
});
