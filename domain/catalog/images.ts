/** Product images: which files are accepted, and the port that stores them. */

import type { ErrorCode } from '../errors.js';

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** An image is at most 5 MB (else 413), as the API reference (`/api/docs`, `npm run openapi`) says. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * Width × height at most: 5 MB of well-compressed pixels can declare a picture that takes
 * gigabytes to decode (a decompression bomb), in a browser or a thumbnailer. 40 megapixels
 * is more than any product photo needs.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

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

/** What a parser reads from an image's headers. */
export interface ImageInfo {
  type: ImageType;
  width: number;
  height: number;
}

/**
 * Reads an image's type and dimensions from its headers (adapters/image-size-inspector.ts);
 * null when the bytes do not parse as a JPEG, PNG or WebP.
 */
export type ImageInspector = (bytes: Uint8Array) => Promise<ImageInfo | null>;

/**
 * The type of an acceptable image, or the reason it is refused: the magic bytes must name a
 * type, a parser must read that same type with real dimensions from the headers (magic bytes
 * in front of anything else are not an image), and it must stay under the pixel limit.
 */
export async function checkImage(bytes: Uint8Array, inspect: ImageInspector): Promise<ImageType | { code: ErrorCode; message: string }> {
  const claimed = detectImageType(bytes);
  const unsupported = { code: 'UNSUPPORTED_MEDIA_TYPE' as const, message: 'The image must be a JPEG, PNG or WebP file' };
  if (!claimed) return unsupported;
  const info = await inspect(bytes);
  if (!info || info.type !== claimed || !(info.width > 0 && info.height > 0)) {
    return { ...unsupported, message: `The file is not a valid ${claimed.slice('image/'.length).toUpperCase()} image` };
  }
  if (info.width * info.height > MAX_IMAGE_PIXELS) {
    return {
      code: 'IMAGE_TOO_LARGE',
      message: `The image is ${info.width}×${info.height} pixels; at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels are accepted`,
    };
  }
  return claimed;
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
