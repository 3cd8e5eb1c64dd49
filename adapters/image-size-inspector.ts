import { imageSize } from 'image-size';
import type { ImageInspector, ImageType } from '#domain/catalog/images.js';

const typeByName: Record<string, ImageType> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Type and dimensions from an image's headers with image-size, which parses the format's own
 * structures (PNG's IHDR, JPEG's frame header, WebP's VP8/VP8L/VP8X chunk) and throws on what
 * does not parse. It reads headers only: pixels are never decoded here.
 */
export const inspectImage: ImageInspector = (bytes) => {
  try {
    const { type, width, height } = imageSize(bytes);
    const known = type ? typeByName[type] : undefined;
    return known ? { type: known, width, height } : null;
  } catch {
    return null;
  }
};
