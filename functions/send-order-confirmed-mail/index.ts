import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#domain/schemas.js';
import { logMail } from '#platform/mail-log.js';

/** order.confirmed: mail the customer the confirmed order with its lines and total. */
export default defineEventHandler({
  summary: 'order.confirmed: mail the customer the confirmed order with its lines and total',
  data: z.object({ orderId: id }),
  handler: async ({ event, log, deps }) => {
    logMail(log, await deps.notifications.order({ eventId: event.id }, 'confirmed', event.data.orderId));
  },
});
