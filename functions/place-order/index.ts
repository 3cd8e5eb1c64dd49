import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { idempotencyKey, placeOrder } from '#domain/orders/inputs.js';
import { orderAnswer } from '#domain/orders/answers.js';

/** 202: the order is pending until the stock saga confirms or cancels it. */
export default defineFunction({
  method: 'POST',
  access: 'customer',
  summary: 'Place an order from your cart (pending until the stock is reserved)',
  response: orderAnswer,
  errors: { CONFLICT: 'try again', CART_EMPTY: true, IDEMPOTENCY_KEY_REUSED: true, UNKNOWN_ADDRESS: true, TOO_MANY_OPEN_ORDERS: true, PRODUCT_LIMIT_REACHED: true, EMAIL_NOT_VERIFIED: 'REQUIRE_VERIFIED_EMAIL is on' },
  status: 202,
  headers: z.object({ 'idempotency-key': idempotencyKey }),
  body: placeOrder,
  handler: async ({ body, headers, caller, callId, deps }) => {
    if (deps.config.requireVerifiedEmail) await deps.recovery.requireVerified(caller.userId);
    return { order: await deps.orders.place(caller.userId, body, { key: headers['idempotency-key'], callId }) };
  },
});
