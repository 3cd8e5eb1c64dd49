import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { statusChange } from '#domain/orders/inputs.js';
import { orderAnswer } from '#domain/orders/answers.js';

export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  summary: 'Move an order: confirmed → shipped → delivered, or cancel it',
  response: orderAnswer,
  errors: { CONFLICT: 'the order is changing: try again', INVALID_TRANSITION: true },
  params: z.object({ id }),
  body: statusChange,
  handler: async ({ params, body, caller, callId, deps }) => ({
    order: await deps.orders.setStatus(caller, params.id, body.status, { callId }),
  }),
});
