import { defineFunction } from '#platform/define-function.js';
import { wishlist } from '#domain/cart/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'customer',
  summary: 'Your wishlist, newest first',
  response: wishlist,
  handler: ({ caller, deps }) => deps.cart.wishlist(caller.userId),
});
