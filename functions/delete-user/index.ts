import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';

export default defineFunction({
  method: 'DELETE',
  access: 'admin',
  summary: 'Delete a user (their orders stay)',
  errors: { LAST_ADMIN: true },
  params: z.object({ id }),
  handler: ({ params, callId, deps }) => deps.accounts.remove(params.id, { callId }),
});
