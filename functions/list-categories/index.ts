import { defineFunction } from '#platform/define-function.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  handler: ({ deps }) => deps.catalog.listCategories(),
});
