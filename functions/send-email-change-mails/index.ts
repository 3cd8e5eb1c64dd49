import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** user.email_changed: a verification link to the new address, a notice to the old one. */
export default defineEventHandler({
  on: 'user.email_changed',
  summary: 'user.email_changed: mail a verification link to the new address and a notice to the old one',
  handler: async ({ event, log, deps }) => {
    const { userId, email, previousEmail } = event.data;
    await logMail(log, 'email-changed-notice', deps.notifications.emailChangedNotice({ eventId: event.id }, userId, previousEmail, email));
    await logMail(log, 'verification', deps.notifications.verification({ eventId: event.id }, userId, email));
  },
});
