import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';

/** The cheapest function there is, to see what the platform costs around a handler. */
export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: 'Hello, world',
  response: z.object({ hello: z.string() }),
  handler: async () => ({ hello: 'world' }),
});
