import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { slug } from '#domain/catalog/inputs.js';
import { categoryAnswer } from '#domain/catalog/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: 'Read a category by its slug',
  response: categoryAnswer,
  params: z.object({ slug }),
  handler: ({ params, deps, serialize }) => deps.catalog.getCategory(params.slug, serialize),
});
