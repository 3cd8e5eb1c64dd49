import { defineFunction } from '#platform/define-function.js';
import { orderListQuery } from '#domain/orders/inputs.js';

export default defineFunction({
  method: 'GET',
  access: 'customer',
  query: orderListQuery,
  handler: ({ query, caller, deps }) => deps.orders.list(caller.userId, query),
});
