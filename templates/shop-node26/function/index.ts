/**
 * A new shop function (faas-cli new --lang shop-node26 copies this folder). Declare who may call
 * it, what it takes and what it answers (zod schemas: the API reference is made from them), keep
 * the handler to one domain call, then list it in stack.yml with `<<: *function`, its secrets
 * and its com.shop.route annotation (README).
 */
import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: 'Say hello',
  response: z.object({ hello: z.string() }),
  query: z.object({ name: z.string().min(1).max(50).default('world') }),
  handler: async ({ query }) => ({ hello: query.name }),
});
