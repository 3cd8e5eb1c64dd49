import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';

/**
 * The event bench's consumer: does nothing but tell the bench (its parent process, over IPC)
 * which event reached it, so the bench times a stored change all the way to a function.
 */
export default defineFunction({
  method: 'POST',
  access: 'internal',
  summary: 'Tells the bench which event reached it',
  response: z.object({ ok: z.boolean() }),
  body: z.object({ id: z.string() }).passthrough(),
  handler: async ({ body }) => {
    process.send?.({ handled: body.id });
    return { ok: true };
  },
});
