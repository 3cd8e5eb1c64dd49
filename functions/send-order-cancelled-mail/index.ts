import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** order.cancelled: mail the customer the cancellation with its reason in words. */
export default defineEventHandler({
  on: 'order.cancelled',
  summary: 'order.cancelled: mail the customer the cancellation with its reason in words',
  handler: async ({ event, log, deps }) => {
    await logMail(log, 'order-cancelled', deps.notifications.order({ eventId: event.id }, 'cancelled', event.data.orderId, event.data.reason));
  },
});
