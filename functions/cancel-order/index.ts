import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { orderAnswer } from '#domain/orders/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  summary: 'Cancel an order while pending or confirmed',
  response: orderAnswer,
  errors: { CONFLICT: 'the order is changing: try again', INVALID_TRANSITION: true },
  params: z.object({ id }),
  handler: async ({ params, caller, callId, deps }) => ({ order: await deps.orders.cancel(caller, params.id, { callId }) }),
});
