import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';

export default defineFunction({
  method: 'DELETE',
  access: 'admin',
  params: z.object({ id }),
  handler: ({ params, callId, deps }) => deps.catalog.deleteProduct(params.id, { callId }),
});
