import { defineEventHandler } from '#platform/event-handler.js';

/** order.cancelled: what the order held goes back, stock and slot, exactly once. */
export default defineEventHandler({
  on: 'order.cancelled',
  summary: "order.cancelled: give back what the order held (stock, the slot's place), once",
  handler: async ({ event, deps }) => {
    // The order as stored: a substitute packed after the event was made is given back too.
    const lines = await deps.orders.heldLines(event.data.orderId, event.data.items);
    await deps.stock.release(event.data.orderId, lines, event.data.slotId);
  },
});
