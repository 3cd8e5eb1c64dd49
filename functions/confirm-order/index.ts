import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#domain/schemas.js';

/** stock.reserved: pending → confirmed. */
export default defineEventHandler({
  summary: 'stock.reserved: confirm the order',
  data: z.object({ orderId: id }),
  handler: async ({ event, callId, deps }) => {
    await deps.orders.confirm(event.data.orderId, { callId });
  },
});
