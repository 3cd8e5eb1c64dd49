import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#platform/schemas.js';

/** order.status_changed to shipped: the stock it held is gone for good (no cancel can return it now). */
export default defineEventHandler({
  data: orderLines.extend({ to: z.string() }),
  handler: async ({ event, deps }) => {
    if (event.data.to === 'shipped') await deps.stock.settle(event.data.orderId, event.data.items);
  },
});
