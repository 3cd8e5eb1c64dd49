import { defineFunction } from '#platform/define-function.js';
import { mailRequested } from '#domain/users/recovery-inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  summary: 'Send the verification mail again (nothing when the email is verified already)',
  response: mailRequested,
  errors: { RATE_LIMITED: 'per account and per client address' },
  status: 202,
  handler: ({ caller, ip, callId, deps }) => deps.recovery.resendVerification(caller.userId, { ip, callId }),
});
