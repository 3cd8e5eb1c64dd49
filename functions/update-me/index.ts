import { defineFunction } from '#platform/define-function.js';
import { profileChange } from '#domain/users/inputs.js';

export default defineFunction({
  method: 'PATCH',
  access: 'customer',
  body: profileChange,
  handler: async ({ body, caller, ip, callId, deps }) => ({
    user: await deps.accounts.updateProfile(caller.userId, body, { session: caller.familyId, ip, callId }),
  }),
});
