import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';
import { adminUserChange } from '#domain/users/inputs.js';

export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  params: z.object({ id }),
  body: adminUserChange,
  handler: async ({ params, body, caller, deps }) => ({
    user: await deps.accounts.updateUser(caller.userId, params.id, body),
  }),
});
