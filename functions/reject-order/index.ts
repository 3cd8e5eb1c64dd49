import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#domain/schemas.js';

/** stock.rejected: pending → cancelled, with the reason (out_of_stock). */
export default defineEventHandler({
  summary: 'stock.rejected: cancel the order for want of stock',
  data: z.object({ orderId: id, reason: z.string().max(100) }),
  handler: async ({ event, callId, deps }) => {
    await deps.orders.reject(event.data.orderId, event.data.reason, { callId });
  },
});
