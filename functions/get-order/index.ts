import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { orderAnswer } from '#domain/orders/answers.js';

/** A customer's own order; admins see every order. */
export default defineFunction({
  method: 'GET',
  access: 'customer',
  summary: 'Read one of your orders (admins: any order)',
  response: orderAnswer,
  params: z.object({ id }),
  handler: async ({ params, caller, deps }) => ({ order: await deps.orders.get(caller, params.id) }),
});
