import { defineEventHandler } from '#platform/event-handler.js';

/** order.status_changed to shipped: the units it held leave the shelf (onHand); no cancel can return them now. */
export default defineEventHandler({
  on: 'order.status_changed',
  summary: 'order.status_changed (shipped): the units the order held leave the shelf (onHand)',
  handler: async ({ event, deps }) => {
    if (event.data.to !== 'shipped') return;
    // The order as stored: a line packed after the event was made (a substitute) is settled too.
    await deps.stock.settle(event.data.orderId, await deps.orders.heldLines(event.data.orderId, event.data.items));
  },
});
