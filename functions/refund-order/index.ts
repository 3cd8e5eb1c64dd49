import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { refundInput } from '#domain/orders/inputs.js';
import { orderAnswer } from '#domain/orders/answers.js';

/** 201: part of what was captured goes back (at Stripe for a card); never more than was captured. */
export default defineFunction({
  method: 'POST',
  access: 'admin',
  summary: 'Refund part of an order that was paid (card at shipping, cash at delivery)',
  response: orderAnswer,
  status: 201,
  errors: {
    CONFLICT: 'the order is changing: try again',
    NOTHING_TO_REFUND: 'nothing captured yet, or all of it refunded',
    REFUND_TOO_LARGE: 'details give leftCents',
    PAYMENT_PROVIDER_FAILED: 'Stripe refused or did not answer: nothing was refunded',
  },
  params: z.object({ id }),
  body: refundInput,
  handler: async ({ params, body, caller, callId, deps }) => ({ order: await deps.orders.refund(caller, params.id, body, { callId }) }),
});
