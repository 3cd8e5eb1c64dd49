import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';

/** A customer's own order; admins see every order. */
export default defineFunction({
  method: 'GET',
  access: 'customer',
  params: z.object({ id }),
  handler: async ({ params, caller, deps }) => ({ order: await deps.orders.get(caller, params.id) }),
});
