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
  errors: { 422: 'UNKNOWN_CATEGORY, CURRENCY_MISMATCH, STOCK_NEGATIVE, STOCK_BELOW_HELD, STOCK_TOO_LARGE' },
  params: z.object({ id }),
  body: productChange,
  handler: async ({ params, body, callId, deps }) => ({
    product: await deps.catalog.updateProduct(params.id, body, { callId }),
  }),
});
