import { defineFunction } from '#platform/define-function.js';

export default defineFunction({
  method: 'GET',
  access: 'customer',
  handler: async ({ caller, deps }) => ({ user: await deps.accounts.get(caller.userId) }),
});
