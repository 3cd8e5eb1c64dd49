import { defineFunction } from '#platform/define-function.js';

/** The cheapest function there is, to see what the platform costs around a handler. */
export default defineFunction({
  method: 'GET',
  access: 'public',
  handler: async () => ({ hello: 'world' }),
});
