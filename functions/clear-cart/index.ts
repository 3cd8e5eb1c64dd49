import { defineFunction } from '#platform/define-function.js';

export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  summary: 'Empty your cart',
  handler: ({ caller, deps }) => deps.cart.clear(caller.userId),
});
