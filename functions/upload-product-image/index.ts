import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';
import { MAX_IMAGE_BYTES } from '#domain/catalog/images.js';

export default defineFunction({
  method: 'POST',
  access: 'admin',
  params: z.object({ id }),
  upload: { field: 'image', maxBytes: MAX_IMAGE_BYTES, required: true },
  handler: async ({ params, file, callId, deps }) => ({
    product: await deps.catalog.setImage(params.id, file!, { callId }),
  }),
});
