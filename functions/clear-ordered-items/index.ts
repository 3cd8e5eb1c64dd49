import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#domain/orders/inputs.js';

/** order.confirmed: the ordered quantities leave the cart; what was added since stays. */
export default defineEventHandler({
  summary: 'order.confirmed: take the ordered quantities out of the cart',
  data: orderLines,
  handler: async ({ event, deps }) => {
    await deps.cart.removeOrdered(event.data.userId, event.data.orderId, event.data.items);
  },
});
