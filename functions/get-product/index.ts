import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  params: z.object({ id }),
  handler: async ({ params, deps }) => ({ product: await deps.catalog.getProduct(params.id) }),
});
