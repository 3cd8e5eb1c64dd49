import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#platform/schemas.js';

/** stock.reserved: pending → confirmed. */
export default defineEventHandler({
  data: z.object({ orderId: id }),
  handler: async ({ event, callId, deps }) => {
    await deps.orders.confirm(event.data.orderId, { callId });
  },
});
