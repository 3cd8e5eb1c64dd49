import { defineFunction } from '#platform/define-function.js';
import { newAddress } from '#domain/users/inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  status: 201,
  body: newAddress,
  handler: async ({ body, caller, deps }) => ({ user: await deps.accounts.addAddress(caller.userId, body) }),
});
