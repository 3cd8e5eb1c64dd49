import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { mediaContentType } from '#adapters/local-images.js';
import { HttpError } from '#platform/errors.js';

const notFound = (file: string) => new HttpError('NOT_FOUND', `No image named ${file}`);

/**
 * `GET /media/:file`: the images of the local image store (DATA_DIR/media), used when
 * CLOUDINARY_URL is not set. Only names the store generates are served, so no path can
 * leave `dir`.
 */
export function mountMedia(app: FastifyInstance, dir: string) {
  app.get<{ Params: { file: string } }>('/media/:file', async (request, reply) => {
    const { file } = request.params;
    const type = mediaContentType(file);
    if (!type) throw notFound(file);
    // Opened before answering, so a missing file is a clean 404 rather than a broken stream.
    const handle = await open(join(dir, file)).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? notFound(file) : error;
    });
    const { size } = await handle.stat().catch(async (error) => {
      await handle.close();
      throw error;
    });
    return reply
      .type(type)
      .header('content-length', size)
      // Names are random and never reused: a name always means the same bytes.
      .header('cache-control', 'public, max-age=31536000, immutable')
      // The type comes from our own detection; browsers must not second-guess it.
      .header('x-content-type-options', 'nosniff')
      .send(handle.createReadStream());
  });
}
