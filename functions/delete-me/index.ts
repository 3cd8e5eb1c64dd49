import { defineFunction } from '#platform/define-function.js';

export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  handler: ({ caller, callId, deps }) => deps.accounts.remove(caller.userId, { callId }),
});
