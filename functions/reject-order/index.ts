import { defineEventHandler } from '#platform/event-handler.js';

/** stock.rejected: pending → cancelled, with the reason (out_of_stock). */
export default defineEventHandler({
  on: 'stock.rejected',
  summary: 'stock.rejected: cancel the order for want of stock',
  handler: async ({ event, callId, deps }) => {
    await deps.orders.reject(event.data.orderId, event.data.reason, { callId });
  },
});
