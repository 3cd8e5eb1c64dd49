import { defineFunction } from '#platform/define-function.js';
import { header } from '#platform/schemas.js';
import { idempotencyKey, placeOrder } from '#domain/orders/inputs.js';

/** 202: the order is pending until the stock saga confirms or cancels it. */
export default defineFunction({
  method: 'POST',
  access: 'customer',
  status: 202,
  body: placeOrder,
  handler: async ({ body, headers, caller, callId, deps }) => ({
    order: await deps.orders.place(caller.userId, body, { key: header(idempotencyKey, headers, 'idempotency-key'), callId }),
  }),
});
