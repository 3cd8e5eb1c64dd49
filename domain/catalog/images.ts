/** Product images: which files are accepted, and the port that stores them. */

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** API.md: an image is at most 5 MB (else 413). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');

/**
 * The image type by its magic bytes, or null. The client's file name and content type are
 * never trusted: they are free to lie, the bytes are what a browser will decode.
 */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  // RIFF is a container (WAVE, AVI, …): only the form type at offset 8 says it is WebP.
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
  return null;
}

export interface StoredImage {
  /** The store's handle, kept on the product (imageId) to remove the image when replaced. */
  id: string;
  url: string;
  thumbnailUrl: string;
}

/** Where product images live: Cloudinary in production, local files by default. */
export interface ImageStore {
  put(image: { bytes: Uint8Array; type: ImageType }): Promise<StoredImage>;
  /** Removing an unknown or already removed id is not an error. */
  remove(id: string): Promise<void>;
}
