import { defineFunction } from '#platform/define-function.js';
import { orderListQuery } from '#domain/orders/inputs.js';
import { ordersPage } from '#domain/orders/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'customer',
  summary: 'Your orders, newest first',
  response: ordersPage,
  query: orderListQuery,
  handler: ({ query, caller, deps }) => deps.orders.list(caller.userId, query),
});
