import { defineFunction } from '#platform/define-function.js';
import { accountDeletion } from '#domain/users/inputs.js';

/** Needs the current password (403 WRONG_PASSWORD), as a new password does. */
export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  summary: 'Delete your account (needs your current password)',
  errors: { WRONG_PASSWORD: true, LAST_ADMIN: true, RATE_LIMITED: 'password checks' },
  body: accountDeletion,
  handler: ({ body, caller, ip, callId, deps }) => deps.accounts.removeSelf(caller.userId, body.currentPassword, { ip, callId }),
});
