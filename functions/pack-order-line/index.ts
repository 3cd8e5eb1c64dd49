import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { packLine } from '#domain/orders/inputs.js';
import { orderAnswer } from '#domain/orders/answers.js';

/** Packing: what went out for one line of a confirmed order; the final total follows (domain/orders/packing.ts). */
export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  summary: 'Pack a line of a confirmed order: the weighed grams, fewer units (short) or a substitute',
  response: orderAnswer,
  errors: {
    NOT_FOUND: 'no such order, or no such line in it',
    NOT_PACKABLE: 'not confirmed (pending, shipped, delivered or cancelled)',
    WEIGHT_BEYOND_TOLERANCE: 'more than maxGrams',
    PACKED_ABOVE_ORDERED: 'more units than ordered',
    SOLD_BY_WEIGHT: 'packedQuantity on a line sold by weight',
    SOLD_BY_PIECE: 'packedGrams on a line sold by the piece',
    SUBSTITUTION_NOT_WANTED: 'a substitute on a line marked ifUnavailable: none',
    SUBSTITUTE_MISMATCH: 'the same product, or one sold the other way',
    PRODUCT_UNAVAILABLE: 'the substitute cannot be ordered',
    INSUFFICIENT_STOCK: 'not enough stock for the heavier weight or the substitute',
  },
  params: z.object({ id, productId: id }),
  body: packLine,
  handler: async ({ params, body, caller, callId, deps }) => ({
    order: await deps.orders.pack(caller, params.id, params.productId, body, { callId }),
  }),
});
