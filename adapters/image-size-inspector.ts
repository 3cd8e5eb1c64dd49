import type { ImageInspector, ImageType } from '#domain/catalog/images.js';

const typeByName: Record<string, ImageType> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

// Loaded on first use: most functions never see an image, and each process pays for the import.
let parser: Promise<typeof import('image-size')> | undefined;

/**
 * Type and dimensions from an image's headers with image-size, which parses the format's own
 * structures (PNG's IHDR, JPEG's frame header, WebP's VP8/VP8L/VP8X chunk) and throws on what
 * does not parse. It reads headers only: pixels are never decoded here.
 */
export const inspectImage: ImageInspector = async (bytes) => {
  const { imageSize } = await (parser ??= import('image-size'));
  try {
    const { type, width, height } = imageSize(bytes);
    const known = type ? typeByName[type] : undefined;
    return known ? { type: known, width, height } : null;
  } catch {
    return null;
  }
};
