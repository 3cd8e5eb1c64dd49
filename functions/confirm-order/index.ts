import { defineEventHandler } from '#platform/event-handler.js';

/** stock.reserved: pending → confirmed (cash), or awaiting_payment with a Stripe intent (card). */
export default defineEventHandler({
  on: 'stock.reserved',
  summary: 'stock.reserved: confirm the order, or ask for its card payment',
  handler: async ({ event, callId, deps }) => {
    await deps.orders.confirm(event.data.orderId, { callId });
  },
});
