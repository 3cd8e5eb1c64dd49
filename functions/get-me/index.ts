import { defineFunction } from '#platform/define-function.js';
import { userAnswer } from '#domain/users/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'customer',
  summary: 'Your account',
  response: userAnswer,
  handler: ({ caller, deps, serialize }) => deps.accounts.profile(caller.userId, serialize),
});
