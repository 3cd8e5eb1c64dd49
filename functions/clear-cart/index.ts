import { defineFunction } from '#platform/define-function.js';

export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  handler: ({ caller, deps }) => deps.cart.clear(caller.userId),
});
