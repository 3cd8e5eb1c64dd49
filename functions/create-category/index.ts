import { defineFunction } from '#platform/define-function.js';
import { newCategory } from '#domain/catalog/inputs.js';
import { categoryAnswer } from '#domain/catalog/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'admin',
  summary: 'Create a category (the slug comes from the name unless given)',
  response: categoryAnswer,
  errors: { SLUG_TAKEN: true },
  status: 201,
  body: newCategory,
  handler: async ({ body, callId, deps }) => ({ category: await deps.catalog.createCategory(body, { callId }) }),
});
