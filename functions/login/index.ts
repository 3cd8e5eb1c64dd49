import { defineFunction } from '#platform/define-function.js';
import { credentials } from '#domain/users/inputs.js';
import { session } from '#domain/users/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'public',
  summary: 'Log in: an access token and a refresh token',
  response: session,
  errors: { UNAUTHENTICATED: 'the same answer for an unknown email and a wrong password', RATE_LIMITED: 'attempts for this email, or from this address' },
  noStore: true,
  body: credentials,
  handler: ({ body, ip, deps }) => deps.sessions.login(body, { ip }),
});
