import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { userAnswer } from '#domain/users/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'admin',
  summary: 'Read a user',
  response: userAnswer,
  params: z.object({ id }),
  handler: ({ params, deps, serialize }) => deps.accounts.profile(params.id, serialize),
});
