import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** order.status_changed to shipped or delivered: mail the customer; other moves have mails of their own. */
export default defineEventHandler({
  on: 'order.status_changed',
  summary: 'order.status_changed (shipped, delivered): mail the customer',
  handler: async ({ event, log, deps }) => {
    const { orderId, to } = event.data;
    if (to !== 'shipped' && to !== 'delivered') return;
    await logMail(log, `order-${to}`, deps.notifications.order({ eventId: event.id }, to, orderId));
  },
});
