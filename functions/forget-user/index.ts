import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#domain/schemas.js';

/**
 * `user.deleted`: forgets what the shop keeps about the user outside the users store, with
 * deps.forgetUser (every session today; carts and wishlists join it there).
 */
export default defineEventHandler({
  summary: "user.deleted: forget the user's sessions, cart and wishlist",
  data: z.object({ userId: id }),
  handler: ({ event, deps }) => deps.forgetUser(event.data.userId),
});
