import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** order.confirmed: mail the customer the confirmed order with its lines and total. */
export default defineEventHandler({
  on: 'order.confirmed',
  summary: 'order.confirmed: mail the customer the confirmed order with its lines and total',
  handler: async ({ event, log, deps }) => {
    await logMail(log, 'order-confirmed', deps.notifications.order({ eventId: event.id }, 'confirmed', event.data.orderId));
  },
});
