import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';
import { statusChange } from '#domain/orders/inputs.js';

export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  params: z.object({ id }),
  body: statusChange,
  handler: async ({ params, body, caller, callId, deps }) => ({
    order: await deps.orders.setStatus(caller, params.id, body.status, { callId }),
  }),
});
