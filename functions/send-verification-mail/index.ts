import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** user.verification_requested: a new verification link. */
export default defineEventHandler({
  on: 'user.verification_requested',
  summary: 'user.verification_requested: mail a new email verification link',
  handler: async ({ event, log, deps }) => {
    await logMail(log, 'verification', deps.notifications.verification({ eventId: event.id }, event.data.userId, event.data.email));
  },
});
