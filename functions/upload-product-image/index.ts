import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { MAX_IMAGE_BYTES } from '#domain/catalog/images.js';
import { productAnswer } from '#domain/catalog/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'admin',
  summary: "Set a product's image (JPEG, PNG or WebP by content, 5 MB at most)",
  response: productAnswer,
  errors: { IMAGE_TOO_LARGE: 'pixels' },
  params: z.object({ id }),
  upload: { field: 'image', maxBytes: MAX_IMAGE_BYTES, required: true },
  handler: async ({ params, file, callId, deps }) => ({
    product: await deps.catalog.setImage(params.id, file!, { callId }),
  }),
});
