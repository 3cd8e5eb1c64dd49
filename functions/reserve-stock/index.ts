import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#platform/schemas.js';

/** order.placed: every line's stock or none, then stock.reserved or stock.rejected. */
export default defineEventHandler({
  data: orderLines,
  handler: async ({ event, callId, deps }) => {
    await deps.stock.reserve(event.data.orderId, event.data.items, { callId });
  },
});
