import { defineFunction } from '#platform/define-function.js';
import { newCategory } from '#domain/catalog/inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'admin',
  status: 201,
  body: newCategory,
  handler: async ({ body, callId, deps }) => ({ category: await deps.catalog.createCategory(body, { callId }) }),
});
