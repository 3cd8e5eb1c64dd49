import { defineFunction } from '#platform/define-function.js';
import { categories } from '#domain/catalog/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: 'List the categories',
  response: categories,
  handler: ({ deps, serialize }) => deps.catalog.listCategories(serialize),
});
