import { defineEventHandler } from '#platform/event-handler.js';
import { verificationRequested } from '#domain/users/mail-events.js';
import { logMail } from '#platform/mail-log.js';

/** user.verification_requested: a new verification link. */
export default defineEventHandler({
  summary: 'user.verification_requested: mail a new email verification link',
  data: verificationRequested,
  handler: async ({ event, log, deps }) => {
    logMail(log, await deps.notifications.verification({ eventId: event.id }, event.data.userId, event.data.email));
  },
});
