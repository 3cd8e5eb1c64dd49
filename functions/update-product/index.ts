import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';
import { productChange } from '#domain/catalog/inputs.js';

export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  params: z.object({ id }),
  body: productChange,
  handler: async ({ params, body, callId, deps }) => ({
    product: await deps.catalog.updateProduct(params.id, body, { callId }),
  }),
});
