import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';

/** Scheduled (stack.yml `schedule`, hourly): carts untouched for ABANDONED_CART_HOURS get one reminder per state. */
export default defineFunction({
  method: 'POST',
  access: 'internal',
  summary: 'Remind opted-in customers of carts untouched for ABANDONED_CART_HOURS, once per cart state (scheduled)',
  response: z.object({ idle: z.number().int(), reminded: z.number().int() }),
  handler: ({ callId, deps }) => deps.cartReminders.remind(deps.config.abandonedCartHours, { callId }),
});
