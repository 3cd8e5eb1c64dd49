import { defineFunction } from '#platform/define-function.js';
import { productListQuery } from '#domain/catalog/inputs.js';
import { productsPage } from '#domain/catalog/answers.js';

/** Available products for everyone; admins may ask for `available=false` or `all`. */
export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: 'List available products: filter, search, sort, page',
  response: productsPage,
  errors: { FORBIDDEN: 'available=false or all: admins only' },
  query: productListQuery,
  handler: async ({ query, identify, deps, serialize }) => {
    const admin = query.available !== 'true' && (await identify())?.role === 'admin';
    return deps.catalog.listProducts(query, serialize, { admin });
  },
});
