import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';

/** Ids handled since the last message to the bench: one IPC write per turn of the event loop. */
let handled: string[] = [];
const tell = () => {
  process.send?.({ handled });
  handled = [];
};

/**
 * The event bench's consumer: does nothing but tell the bench (its parent process, over IPC)
 * which event reached it, so the bench times a stored change all the way to a function. The
 * ids of one turn go in one message: a write to the bench per event would cost the process
 * under test a system call that no shop function makes (raw amqplib's consumer is in the bench).
 */
export default defineFunction({
  method: 'POST',
  access: 'internal',
  summary: 'Tells the bench which event reached it',
  response: z.object({ ok: z.boolean() }),
  body: z.object({ id: z.string() }).passthrough(),
  handler: async ({ body }) => {
    if (handled.push(body.id) === 1) setImmediate(tell);
    return { ok: true };
  },
});
