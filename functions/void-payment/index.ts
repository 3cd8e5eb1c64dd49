import { defineEventHandler } from '#platform/event-handler.js';

/** order.cancelled: a card order's intent is cancelled at Stripe (authorisation released, a capture refunded). */
export default defineEventHandler({
  on: 'order.cancelled',
  summary: "order.cancelled: cancel a card order's payment at Stripe, so nothing is taken",
  handler: async ({ event, callId, deps }) => {
    await deps.orders.voidPayment(event.data.orderId, { callId });
  },
});
