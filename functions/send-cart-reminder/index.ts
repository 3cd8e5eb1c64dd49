import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** cart.abandoned: the reminder, to a customer who opted in to marketing mail. */
export default defineEventHandler({
  on: 'cart.abandoned',
  summary: 'cart.abandoned: mail the customer a reminder of their cart (if they opted in)',
  handler: async ({ event, log, deps }) => {
    await logMail(log, 'cart-reminder', deps.notifications.cartReminder({ eventId: event.id }, event.data.userId, event.data.items));
  },
});
