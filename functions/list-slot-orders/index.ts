import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { slotOrdersQuery } from '#domain/delivery/inputs.js';
import { SLOT_ID, SLOT_ID_EXAMPLE } from '#domain/delivery/answers.js';
import { ordersPage } from '#domain/orders/answers.js';
import { id } from '#domain/schemas.js';

/** For packing and routing: every order placed for the slot (by status), newest first. */
export default defineFunction({
  method: 'GET',
  access: 'admin',
  summary: 'The orders of one delivery slot',
  response: ordersPage,
  params: z.object({ slotId: id.meta({ description: SLOT_ID, examples: [SLOT_ID_EXAMPLE] }) }),
  query: slotOrdersQuery,
  handler: ({ params, query, deps }) => deps.orders.listSlot(params.slotId, query),
});
