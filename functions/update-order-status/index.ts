import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { statusChange } from '#domain/orders/inputs.js';
import { orderAnswer } from '#domain/orders/answers.js';

export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  summary: 'Move an order: confirmed → shipped (a card is charged) → delivered (cash is recorded), or cancel it',
  response: orderAnswer,
  errors: {
    CONFLICT: 'the order is changing: try again',
    INVALID_TRANSITION: true,
    PAYMENT_PROVIDER_FAILED: 'shipping a card order: Stripe did not capture the payment, so it is not shipped',
    PAYMENT_METHOD_UNAVAILABLE: 'shipping a card order while the shop has no STRIPE_SECRET_KEY',
  },
  params: z.object({ id }),
  body: statusChange,
  handler: async ({ params, body, caller, callId, deps }) => ({
    order: await deps.orders.setStatus(caller, params.id, body.status, { callId }),
  }),
});
