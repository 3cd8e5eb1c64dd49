import { defineFunction } from '#platform/define-function.js';
import { MAX_IMAGE_BYTES } from '#domain/catalog/images.js';
import { newProduct } from '#domain/catalog/inputs.js';
import { productAnswer } from '#domain/catalog/answers.js';

/** JSON, or multipart/form-data with the fields and an optional `image` file. */
export default defineFunction({
  method: 'POST',
  access: 'admin',
  summary: 'Create a product, as JSON or multipart/form-data with an image',
  response: productAnswer,
  errors: { UNKNOWN_CATEGORY: true, CURRENCY_MISMATCH: true, IMAGE_TOO_LARGE: 'pixels' },
  status: 201,
  body: newProduct,
  upload: { field: 'image', maxBytes: MAX_IMAGE_BYTES },
  handler: async ({ body, file, callId, deps }) => ({
    product: await deps.catalog.createProduct(body, { image: file, callId }),
  }),
});
