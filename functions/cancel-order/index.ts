import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  params: z.object({ id }),
  handler: async ({ params, caller, callId, deps }) => ({ order: await deps.orders.cancel(caller, params.id, { callId }) }),
});
