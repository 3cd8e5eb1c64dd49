import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { productAnswer } from '#domain/catalog/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: 'Read a product (also an unavailable one)',
  response: productAnswer,
  params: z.object({ id }),
  handler: ({ params, deps, serialize }) => deps.catalog.getProduct(params.id, serialize),
});
