import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#domain/schemas.js';
import { logMail } from '#platform/mail-log.js';

/** order.placed: mail the customer that the order was received. */
export default defineEventHandler({
  summary: 'order.placed: mail the customer that the order was received',
  data: z.object({ orderId: id }),
  handler: async ({ event, log, deps }) => {
    logMail(log, await deps.notifications.order({ eventId: event.id }, 'placed', event.data.orderId));
  },
});
