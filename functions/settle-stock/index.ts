import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#domain/orders/inputs.js';

/** order.status_changed to shipped: the units it held leave the shelf (onHand); no cancel can return them now. */
export default defineEventHandler({
  summary: 'order.status_changed (shipped): the units the order held leave the shelf (onHand)',
  data: orderLines.extend({ to: z.string() }),
  handler: async ({ event, deps }) => {
    if (event.data.to === 'shipped') await deps.stock.settle(event.data.orderId, event.data.items);
  },
});
