import { defineEventHandler } from '#platform/event-handler.js';
import { logMail } from '#platform/mail-log.js';

/** user.password_reset_requested: the single-use reset link. */
export default defineEventHandler({
  on: 'user.password_reset_requested',
  summary: 'user.password_reset_requested: mail the single-use password-reset link',
  handler: async ({ event, log, deps }) => {
    await logMail(log, 'password-reset', deps.notifications.passwordReset({ eventId: event.id }, event.data.userId));
  },
});
