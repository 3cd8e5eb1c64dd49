import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#domain/orders/inputs.js';

/** order.cancelled: what the order held goes back to stock, exactly once. */
export default defineEventHandler({
  summary: 'order.cancelled: give back what the order held, once',
  data: orderLines,
  handler: async ({ event, deps }) => {
    await deps.stock.release(event.data.orderId, event.data.items);
  },
});
