import { defineEventHandler } from '#platform/event-handler.js';

/**
 * `user.deleted`: forgets what the shop keeps about the user outside the users store, with
 * deps.forgetUser: every session, the cart and wishlist; orders not yet shipped are cancelled
 * (reason account_deleted) and the others lose the customer's personal data.
 */
export default defineEventHandler({
  on: 'user.deleted',
  summary: "user.deleted: forget the user's sessions, cart and wishlist; cancel their unshipped orders",
  handler: ({ event, callId, deps }) => deps.forgetUser(event.data.userId, { callId }),
});
