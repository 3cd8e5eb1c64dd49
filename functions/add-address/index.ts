import { defineFunction } from '#platform/define-function.js';
import { newAddress } from '#domain/users/inputs.js';
import { userAnswer } from '#domain/users/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  summary: 'Add a delivery address to your account',
  response: userAnswer,
  errors: { TOO_MANY_ADDRESSES: '20 at most' },
  status: 201,
  body: newAddress,
  handler: async ({ body, caller, deps }) => ({ user: await deps.accounts.addAddress(caller.userId, body) }),
});
