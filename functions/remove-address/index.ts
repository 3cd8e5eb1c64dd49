import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { userAnswer } from '#domain/users/answers.js';

export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  summary: 'Remove one of your addresses',
  response: userAnswer,
  params: z.object({ addressId: id }),
  handler: async ({ params, caller, deps }) => ({
    user: await deps.accounts.removeAddress(caller.userId, params.addressId),
  }),
});
