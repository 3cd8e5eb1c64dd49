import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';

export default defineFunction({
  method: 'DELETE',
  access: 'admin',
  summary: 'Delete a product (no longer listed or orderable; orders keep their snapshot)',
  params: z.object({ id }),
  handler: ({ params, callId, deps }) => deps.catalog.deleteProduct(params.id, { callId }),
});
