import type { ImageTransformationOptions, UploadApiErrorResponse, UploadApiResponse, v2 } from 'cloudinary';
import type { ImageStore } from '#domain/catalog/images.js';

export type Cloudinary = typeof v2;

// A square crop around what Cloudinary finds interesting, in the best format and quality
// each browser accepts: the product cards need no other size.
const thumbnail: ImageTransformationOptions[] = [
  { width: 400, height: 400, crop: 'fill', gravity: 'auto' },
  { fetch_format: 'auto', quality: 'auto' },
];

// The SDK rejects with plain objects ({message, http_code}); an Error keeps the stack and logs well.
const failure = (what: string, error: unknown) => {
  const { message, http_code } = (error ?? {}) as Partial<UploadApiErrorResponse>;
  return new Error(`Cloudinary ${what} failed${http_code ? ` (${http_code})` : ''}: ${message ?? String(error)}`, { cause: error });
};

/**
 * Images on Cloudinary through the SDK object the caller configured (from CLOUDINARY_URL),
 * in one folder for the shop. Cloudinary picks the public_id, and `overwrite: false` makes
 * sure an upload never replaces another product's image.
 */
export function cloudinaryImages(cloudinary: Cloudinary, { folder = 'food-shop/products' }: { folder?: string } = {}): ImageStore {
  return {
    async put({ bytes }) {
      const uploaded = await new Promise<UploadApiResponse>((resolve, reject) => {
        const upload = cloudinary.uploader.upload_stream(
          { resource_type: 'image', folder, overwrite: false },
          (error, result) => (error || !result ? reject(failure('upload', error)) : resolve(result)),
        );
        upload.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      });
      const { public_id, version, secure_url } = uploaded;
      return {
        id: public_id,
        url: secure_url,
        thumbnailUrl: cloudinary.url(public_id, { secure: true, version, transformation: thumbnail }),
      };
    },
    async remove(id) {
      const answer = (await cloudinary.uploader
        .destroy(id, { resource_type: 'image', invalidate: true })
        .catch((error: unknown) => {
          throw failure('destroy', error);
        })) as { result?: string };
      // 'not found' is what removing twice, or an id from elsewhere, looks like: already gone.
      if (answer.result !== 'ok' && answer.result !== 'not found') throw failure('destroy', { message: answer.result });
    },
  };
}
