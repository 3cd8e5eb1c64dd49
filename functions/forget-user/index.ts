import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#platform/schemas.js';

/**
 * `user.deleted`: forgets what the shop keeps about the user outside the users store, with
 * deps.forgetUser (every session today; carts and wishlists join it there).
 */
export default defineEventHandler({
  data: z.object({ userId: id }),
  handler: ({ event, deps }) => deps.forgetUser(event.data.userId),
});
