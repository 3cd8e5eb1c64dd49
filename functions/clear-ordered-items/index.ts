import { defineEventHandler } from '#platform/event-handler.js';

/**
 * order.confirmed: the lines the order took leave the cart, as placing it noted them; what was
 * added, set or started again since stays (domain/cart/cart.ts, removeOrdered).
 */
export default defineEventHandler({
  on: 'order.confirmed',
  summary: 'order.confirmed: take the ordered quantities out of the cart',
  handler: async ({ event, deps }) => {
    await deps.cart.removeOrdered(event.data.userId, event.data.orderId);
  },
});
