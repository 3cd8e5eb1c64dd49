import { defineFunction } from '#platform/define-function.js';
import { registration } from '#domain/users/inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'public',
  status: 201,
  body: registration,
  handler: async ({ body, ip, callId, deps }) => ({ user: await deps.accounts.register(body, { ip, callId }) }),
});
