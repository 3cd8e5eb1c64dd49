import { defineFunction } from '#platform/define-function.js';
import { verification } from '#domain/users/recovery-inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'public',
  summary: 'Verify an email address with the token of a verification mail',
  errors: { INVALID_TOKEN: 'unknown, expired, already used, or the account has another email now' },
  body: verification,
  handler: async ({ body, deps }) => {
    await deps.recovery.verifyEmail(body.token);
  },
});
