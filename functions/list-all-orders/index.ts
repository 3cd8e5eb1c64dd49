import { defineFunction } from '#platform/define-function.js';
import { allOrdersQuery } from '#domain/orders/inputs.js';

export default defineFunction({
  method: 'GET',
  access: 'admin',
  query: allOrdersQuery,
  handler: ({ query, deps }) => deps.orders.listAll(query),
});
