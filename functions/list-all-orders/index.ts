import { defineFunction } from '#platform/define-function.js';
import { allOrdersQuery } from '#domain/orders/inputs.js';
import { ordersPage } from '#domain/orders/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'admin',
  summary: 'List every order: by status, customer and date range',
  response: ordersPage,
  query: allOrdersQuery,
  handler: ({ query, deps }) => deps.orders.listAll(query),
});
