import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** user.registered: welcome, with the link that verifies the address. */
export default defineEventHandler({
  on: 'user.registered',
  summary: 'user.registered: mail a welcome with the email verification link',
  handler: async ({ event, log, deps }) => {
    await logMail(log, 'welcome', deps.notifications.welcome({ eventId: event.id }, event.data.userId));
  },
});
