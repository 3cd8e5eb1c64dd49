import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { cart } from '#domain/cart/answers.js';
import { cartDelivery } from '#domain/delivery/answers.js';

/** With `addressId`, the delivery to that address too: fee, minimum, what is missing to it, total. */
export default defineFunction({
  method: 'GET',
  access: 'customer',
  summary: 'Your cart, with current names and prices (and the delivery to one of your addresses)',
  response: cart.extend({ delivery: cartDelivery.optional().meta({ description: 'The delivery to the address given as addressId; absent without one' }) }),
  errors: { UNKNOWN_ADDRESS: true, OUTSIDE_DELIVERY_AREA: 'no zone covers the address' },
  query: z.object({
    addressId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: "The id of one of your saved addresses (GET /api/users/me): adds `delivery`, its zone's fee and minimum order for this cart", examples: ['6750a1c2e4b0f3a9d2c81e07'] }),
  }),
  handler: async ({ query, caller, deps }) => {
    const view = await deps.cart.view(caller.userId);
    if (!query.addressId) return view;
    return { ...view, delivery: await deps.delivery.cartQuote(await deps.accounts.address(caller.userId, query.addressId), view.subtotalCents) };
  },
});
