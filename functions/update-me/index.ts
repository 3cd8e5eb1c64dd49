import { defineFunction } from '#platform/define-function.js';
import { profileChange } from '#domain/users/inputs.js';
import { userAnswer } from '#domain/users/answers.js';

export default defineFunction({
  method: 'PATCH',
  access: 'customer',
  summary: 'Change your name, phone, email, password or marketing mail choice (a new password or email needs the current password)',
  response: userAnswer,
  errors: { WRONG_PASSWORD: true, RATE_LIMITED: 'password checks', EMAIL_TAKEN: 'in any letter case' },
  body: profileChange,
  handler: async ({ body, caller, ip, callId, deps }) => ({
    user: await deps.accounts.updateProfile(caller.userId, body, { session: caller.familyId, ip, callId }),
  }),
});
