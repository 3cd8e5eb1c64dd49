import { defineFunction } from '#platform/define-function.js';
import { resetConfirmation } from '#domain/users/recovery-inputs.js';

/** The token of a reset mail sets a new password and ends every session of the account. */
export default defineFunction({
  method: 'POST',
  access: 'public',
  summary: 'Set a new password with the token of a password-reset mail; every session of the account ends',
  errors: { INVALID_TOKEN: 'unknown, expired or already used', VALIDATION_FAILED: 'the password policy' },
  body: resetConfirmation,
  handler: async ({ body, callId, deps }) => {
    await deps.recovery.confirmReset(body.token, body.password, { callId });
  },
});
