import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#domain/orders/inputs.js';

/** order.placed: every line's stock or none, then stock.reserved or stock.rejected. */
export default defineEventHandler({
  summary: "order.placed: take every line's stock or none",
  data: orderLines,
  handler: async ({ event, callId, deps }) => {
    await deps.stock.reserve(event.data.orderId, event.data.items, { callId });
  },
});
