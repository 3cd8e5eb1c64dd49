import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { categoryChange, slug } from '#domain/catalog/inputs.js';

/** A new name keeps the slug; a new slug (409 SLUG_TAKEN when taken) moves the category's products along. */
export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  params: z.object({ slug }),
  body: categoryChange,
  handler: async ({ params, body, callId, deps }) => ({ category: await deps.catalog.updateCategory(params.slug, body, { callId }) }),
});
