import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#domain/schemas.js';
import { logMail } from '#platform/mail-log.js';

/** order.cancelled: mail the customer the cancellation with its reason in words. */
export default defineEventHandler({
  summary: 'order.cancelled: mail the customer the cancellation with its reason in words',
  data: z.object({ orderId: id, reason: z.string().optional() }),
  handler: async ({ event, log, deps }) => {
    logMail(log, await deps.notifications.order({ eventId: event.id }, 'cancelled', event.data.orderId, event.data.reason));
  },
});
