import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { productChange } from '#domain/catalog/inputs.js';
import { productAnswer } from '#domain/catalog/answers.js';

export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  summary: 'Change a product; onHand is a stocktake, stockDelta a delivery or a loss',
  response: productAnswer,
  errors: {
    UNKNOWN_CATEGORY: true,
    CURRENCY_MISMATCH: true,
    STOCK_NEGATIVE: true,
    STOCK_BELOW_HELD: true,
    STOCK_TOO_LARGE: true,
    SOLD_BY_WEIGHT: 'priceCents for a product sold by weight',
    SOLD_BY_PIECE: 'weight fields for a product sold by the piece',
  },
  params: z.object({ id }),
  body: productChange,
  handler: async ({ params, body, callId, deps }) => ({
    product: await deps.catalog.updateProduct(params.id, body, { callId }),
  }),
});
