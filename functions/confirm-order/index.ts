import { defineEventHandler } from '#platform/event-handler.js';

/** stock.reserved: pending → confirmed. */
export default defineEventHandler({
  on: 'stock.reserved',
  summary: 'stock.reserved: confirm the order',
  handler: async ({ event, callId, deps }) => {
    await deps.orders.confirm(event.data.orderId, { callId });
  },
});
