import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { slug } from '#domain/catalog/inputs.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  params: z.object({ slug }),
  handler: async ({ params, deps }) => ({ category: await deps.catalog.getCategory(params.slug) }),
});
