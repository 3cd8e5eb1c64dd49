import { defineEventHandler } from '#platform/event-handler.js';

/** order.cancelled: what the order held goes back to stock, exactly once. */
export default defineEventHandler({
  on: 'order.cancelled',
  summary: 'order.cancelled: give back what the order held, once',
  handler: async ({ event, deps }) => {
    await deps.stock.release(event.data.orderId, event.data.items);
  },
});
