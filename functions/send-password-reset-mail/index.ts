import { defineEventHandler } from '#platform/event-handler.js';
import { passwordResetRequested } from '#domain/users/mail-events.js';
import { logMail } from '#platform/mail-log.js';

/** user.password_reset_requested: the single-use reset link. */
export default defineEventHandler({
  summary: 'user.password_reset_requested: mail the single-use password-reset link',
  data: passwordResetRequested,
  handler: async ({ event, log, deps }) => {
    logMail(log, await deps.notifications.passwordReset({ eventId: event.id }, event.data.userId));
  },
});
