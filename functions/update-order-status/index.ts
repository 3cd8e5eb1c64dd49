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
  errors: { 409: 'CONFLICT (the order is changing: try again)', 422: 'INVALID_TRANSITION' },
  params: z.object({ id }),
  body: statusChange,
  handler: async ({ params, body, caller, callId, deps }) => ({
    order: await deps.orders.setStatus(caller, params.id, body.status, { callId }),
  }),
});
