import { defineEventHandler } from '#platform/event-handler.js';

/** order.placed: every line's stock or none, then stock.reserved or stock.rejected. */
export default defineEventHandler({
  on: 'order.placed',
  summary: "order.placed: take every line's stock or none",
  handler: async ({ event, callId, deps }) => {
    await deps.stock.reserve(event.data.orderId, event.data.items, { callId });
  },
});
