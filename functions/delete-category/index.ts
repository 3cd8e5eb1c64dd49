import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { slug } from '#domain/catalog/inputs.js';

/** 409 CATEGORY_IN_USE while products are in it. */
export default defineFunction({
  method: 'DELETE',
  access: 'admin',
  summary: 'Delete a category nobody uses',
  errors: { CATEGORY_IN_USE: true },
  params: z.object({ slug }),
  handler: ({ params, callId, deps }) => deps.catalog.deleteCategory(params.slug, { callId }),
});
