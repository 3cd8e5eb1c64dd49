import { defineFunction } from '#platform/define-function.js';
import { mailRequested, resetRequest } from '#domain/users/recovery-inputs.js';

/** The same 202 and body, in about the same time, whether an account has the email or not. */
export default defineFunction({
  method: 'POST',
  access: 'public',
  summary: 'Ask for a password-reset mail (the same answer whether the email is registered or not)',
  description:
    'Mails a link with a single-use token, valid 30 minutes, to the account with this email, if there is one; a new request ends the older links. Limited per email and per client address.',
  response: mailRequested,
  errors: { RATE_LIMITED: 'per email and per client address' },
  status: 202,
  body: resetRequest,
  handler: ({ body, ip, callId, deps }) => deps.recovery.requestReset(body.email, { ip, callId }),
});
