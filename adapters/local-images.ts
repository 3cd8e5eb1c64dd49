import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageStore, ImageType } from '#domain/catalog/images.js';

const extensionByType: Record<ImageType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const typeByExtension = Object.fromEntries(Object.entries(extensionByType).map(([type, ext]) => [ext, type]));

/** The only names this store ever writes; anything else (`..`, slashes, other files) is refused. */
export const mediaFileName = /^[a-f0-9]{16,64}\.(jpg|png|webp)$/;

/** The content type to serve a stored file with, or null when the name is not one of ours. */
export function mediaContentType(fileName: string): ImageType | null {
  const match = mediaFileName.exec(fileName);
  return match ? (typeByExtension[match[1]] as ImageType) : null;
}

/**
 * Images as files under `dir` (DATA_DIR/media), served by the runtime under `baseUrl`
 * (`GET /media/<file>`). The embedded default: no resizing, so the thumbnail is the image
 * itself (the API promises a `thumbnailUrl`, not a smaller image: domain/catalog/answers.ts).
 */
export function localImages({ dir, baseUrl }: { dir: string; baseUrl: string }): ImageStore {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async put({ bytes, type }) {
      await mkdir(dir, { recursive: true });
      // Random names are never reused, so the runtime can let browsers cache them forever.
      const file = `${randomBytes(16).toString('hex')}.${extensionByType[type]}`;
      await writeFile(join(dir, file), bytes, { flag: 'wx' });
      const url = `${base}/${file}`;
      return { id: file, url, thumbnailUrl: url };
    },
    async remove(id) {
      // An id of another shape was never written here (say, a Cloudinary public_id kept from
      // before a switch of store): nothing to remove, and never a path to follow (`../`).
      if (!mediaFileName.test(id)) return;
      try {
        await unlink(join(dir, id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
  };
}
