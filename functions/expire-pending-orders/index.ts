import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';

/**
 * Scheduled (stack.yml `schedule`): orders pending too long are settled by the saga's rules, and
 * card orders awaiting their payment longer than PAYMENT_TIMEOUT_MINUTES are cancelled.
 */
export default defineFunction({
  method: 'POST',
  access: 'internal',
  summary: 'Settle orders pending longer than ORDER_PENDING_TIMEOUT, cancel unpaid ones after PAYMENT_TIMEOUT_MINUTES (scheduled)',
  response: z.object({ confirmed: z.number().int(), cancelled: z.number().int(), paymentExpired: z.number().int() }),
  handler: async ({ callId, deps }) => ({
    ...(await deps.orders.expirePending(deps.config.orderPendingTimeoutMs, { callId })),
    paymentExpired: await deps.orders.expireUnpaid(deps.config.payment.timeoutMinutes * 60_000, { callId }),
  }),
});
