import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';

/** Scheduled (stack.yml `schedule`): orders pending too long are settled by the saga's rules. */
export default defineFunction({
  method: 'POST',
  access: 'internal',
  summary: 'Settle orders pending longer than ORDER_PENDING_TIMEOUT (scheduled)',
  response: z.object({ confirmed: z.number().int(), cancelled: z.number().int() }),
  handler: ({ callId, deps }) => deps.orders.expirePending(deps.config.orderPendingTimeoutMs, { callId }),
});
