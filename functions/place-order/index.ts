import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { idempotencyKey, placeOrder } from '#domain/orders/inputs.js';
import { orderAnswer } from '#domain/orders/answers.js';

/**
 * 202: the order is pending until the saga (stock and the delivery slot) confirms it (cash), moves
 * it to awaiting_payment (card) or cancels it.
 */
export default defineFunction({
  method: 'POST',
  access: 'customer',
  summary: 'Place an order from your cart (pending until the stock is reserved)',
  response: orderAnswer,
  errors: {
    CONFLICT: 'try again',
    CART_EMPTY: true,
    IDEMPOTENCY_KEY_REUSED: true,
    UNKNOWN_ADDRESS: true,
    TOO_MANY_OPEN_ORDERS: true,
    PRODUCT_LIMIT_REACHED: true,
    OUTSIDE_DELIVERY_AREA: 'no delivery zone covers the address (while the shop has zones)',
    BELOW_MINIMUM_ORDER: "under the zone's minimum; details give missingCents",
    SLOT_REQUIRED: 'the zone delivers in slots',
    SLOT_NOT_IN_ZONE: "the slot is another zone's",
    SLOT_CLOSED: 'past its cut-off, or a closed day',
    UNKNOWN_SLOT: true,
    EMAIL_NOT_VERIFIED: 'REQUIRE_VERIFIED_EMAIL is on',
    SLOT_FULL: 'full already; a slot that fills after the 202 cancels the order (slot_full)',
    PAYMENT_METHOD_NOT_ALLOWED: "the zone does not take it; details give the zone's methods",
    PAYMENT_METHOD_UNAVAILABLE: 'card, while the shop takes no cards (no STRIPE_SECRET_KEY)',
  },
  status: 202,
  headers: z.object({ 'idempotency-key': idempotencyKey }),
  body: placeOrder,
  handler: async ({ body, headers, caller, callId, deps }) => {
    if (deps.config.requireVerifiedEmail) await deps.recovery.requireVerified(caller.userId);
    return { order: await deps.orders.place(caller.userId, body, { key: headers['idempotency-key'], callId }) };
  },
});
