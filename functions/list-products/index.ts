import { defineFunction } from '#platform/define-function.js';
import { productListQuery } from '#domain/catalog/inputs.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  query: productListQuery,
  handler: ({ query, deps }) => deps.catalog.listProducts(query),
});
