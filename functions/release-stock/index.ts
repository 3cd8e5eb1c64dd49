import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#platform/schemas.js';

/** order.cancelled: what the order held goes back to stock, exactly once. */
export default defineEventHandler({
  data: orderLines,
  handler: async ({ event, deps }) => {
    await deps.stock.release(event.data.orderId, event.data.items);
  },
});
