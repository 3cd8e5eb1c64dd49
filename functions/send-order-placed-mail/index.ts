import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** order.placed: mail the customer that the order was received. */
export default defineEventHandler({
  on: 'order.placed',
  summary: 'order.placed: mail the customer that the order was received',
  handler: async ({ event, log, deps }) => {
    await logMail(log, 'order-placed', deps.notifications.order({ eventId: event.id }, 'placed', event.data.orderId));
  },
});
