import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { categoryChange, slug } from '#domain/catalog/inputs.js';
import { categoryAnswer } from '#domain/catalog/answers.js';

/** A new name keeps the slug; a new slug (409 SLUG_TAKEN when taken) moves the category's products along. */
export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  summary: 'Rename a category, or give it a new slug (its products move along)',
  response: categoryAnswer,
  errors: { SLUG_TAKEN: true },
  params: z.object({ slug }),
  body: categoryChange,
  handler: async ({ params, body, callId, deps }) => ({ category: await deps.catalog.updateCategory(params.slug, body, { callId }) }),
});
