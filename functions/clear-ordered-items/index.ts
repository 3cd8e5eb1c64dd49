import { defineEventHandler } from '#platform/event-handler.js';
import { orderLines } from '#domain/orders/inputs.js';

/**
 * order.confirmed: the lines the order took leave the cart, as placing it noted them; what was
 * added, set or started again since stays (domain/cart/cart.ts, removeOrdered).
 */
export default defineEventHandler({
  summary: 'order.confirmed: take the ordered quantities out of the cart',
  data: orderLines,
  handler: async ({ event, deps }) => {
    await deps.cart.removeOrdered(event.data.userId, event.data.orderId);
  },
});
