import { defineFunction } from '#platform/define-function.js';
import { userAnswer } from '#domain/users/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'customer',
  summary: 'Your account',
  response: userAnswer,
  handler: async ({ caller, deps }) => ({ user: await deps.accounts.get(caller.userId) }),
});
