import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { adminUserChange } from '#domain/users/inputs.js';
import { userAnswer } from '#domain/users/answers.js';

export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  summary: "Change a user's role, name or phone",
  response: userAnswer,
  errors: { CANNOT_CHANGE_OWN_ROLE: true, LAST_ADMIN: true },
  params: z.object({ id }),
  body: adminUserChange,
  handler: async ({ params, body, caller, deps }) => ({
    user: await deps.accounts.updateUser(caller.userId, params.id, body),
  }),
});
