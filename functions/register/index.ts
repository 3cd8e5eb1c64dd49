import { defineFunction } from '#platform/define-function.js';
import { registration } from '#domain/users/inputs.js';
import { userAnswer } from '#domain/users/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'public',
  summary: 'Register a customer account',
  response: userAnswer,
  errors: { EMAIL_TAKEN: 'in any letter case', RATE_LIMITED: 'registrations from this address' },
  status: 201,
  body: registration,
  handler: async ({ body, ip, callId, deps }) => ({ user: await deps.accounts.register(body, { ip, callId }) }),
});
