import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#domain/orders/inputs.js';

/** order.status_changed to shipped: the stock it held is gone for good (no cancel can return it now). */
export default defineEventHandler({
  summary: 'order.status_changed (shipped): the order keeps its stock for good',
  data: orderLines.extend({ to: z.string() }),
  handler: async ({ event, deps }) => {
    if (event.data.to === 'shipped') await deps.stock.settle(event.data.orderId, event.data.items);
  },
});
