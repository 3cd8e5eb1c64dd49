import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#platform/schemas.js';

/** order.confirmed: the ordered quantities leave the cart; what was added since stays. */
export default defineEventHandler({
  data: orderLines,
  handler: async ({ event, deps }) => {
    await deps.cart.removeOrdered(event.data.userId, event.data.orderId, event.data.items);
  },
});
