import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';

export default defineFunction({
  method: 'GET',
  access: 'admin',
  params: z.object({ id }),
  handler: async ({ params, deps }) => ({ user: await deps.accounts.get(params.id) }),
});
