import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { cloudinaryImages } from '#adapters/cloudinary-images.js';
import { localImages, mediaFileName } from '#adapters/local-images.js';
import { detectImageType } from '#domain/catalog/images.js';
import { createServer } from '#platform/server.js';
import { mountMedia } from '../runtime/media.js';
import { imageStoreContract, sampleImage } from './contracts/image-store.js';
import { cloudinarySignature, startCloudinaryStandIn } from './helpers/cloudinary-stand-in.js';

// The SDK picks http or https once, when it is first loaded, from CLOUDINARY_URL's
// upload_prefix: the stand-in's address must be in the environment before that import.
const standIn = await startCloudinaryStandIn();
t.teardown(() => standIn.close());
const previousUrl = process.env.CLOUDINARY_URL;
process.env.CLOUDINARY_URL = standIn.cloudinaryUrl;
const { v2: cloudinary } = await import('cloudinary');
if (previousUrl === undefined) delete process.env.CLOUDINARY_URL;
else process.env.CLOUDINARY_URL = previousUrl;

/** A media folder served by a bare fastify with the runtime's media route, as `npm start` does. */
async function servedMedia() {
  // media/ inside a temporary DATA_DIR, so tests can put files beside it that must stay out of reach.
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-media-'));
  const dir = join(dataDir, 'media');
  const app = createServer({ logLevel: 'silent' });
  mountMedia(app, dir);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    dir,
    address,
    store: localImages({ dir, baseUrl: `${address}/media` }),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

t.test('detectImageType goes by the bytes only', async (t) => {
  t.equal(detectImageType(sampleImage('image/jpeg')), 'image/jpeg');
  t.equal(detectImageType(sampleImage('image/png')), 'image/png');
  t.equal(detectImageType(sampleImage('image/webp')), 'image/webp');
  t.equal(detectImageType(Buffer.from('GIF89a\x01\x00\x01\x00')), null, 'gif');
  t.equal(detectImageType(Buffer.from('just some text, not a picture')), null, 'text');
  t.equal(detectImageType(new Uint8Array()), null, 'empty');
  t.equal(detectImageType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ')), null, 'a RIFF that is not WebP');
  t.equal(detectImageType(Buffer.from('RIFF')), null, 'a truncated RIFF');
  t.equal(detectImageType(Uint8Array.of(0xff, 0xd8)), null, 'a truncated JPEG');
  t.equal(detectImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null, 'svg is not accepted');
});

t.test('local image store', async (t) => {
  t.test('contract', async (t) =>
    imageStoreContract(t, async () => {
      // The bytes are read back over HTTP at the answered URL, so the URL is proven to work.
      const media = await servedMedia();
      return {
        store: media.store,
        async fetchBytes(stored) {
          const answer = await fetch(stored.url);
          const bytes = new Uint8Array(await answer.arrayBuffer());
          return answer.status === 404 ? null : bytes;
        },
        close: media.close,
      };
    }),
  );

  t.test('files are named by a random hex id with the extension of their type', async (t) => {
    const media = await servedMedia();
    t.teardown(media.close);
    const stored = await media.store.put({ bytes: sampleImage('image/webp'), type: 'image/webp' });
    t.match(stored.id, mediaFileName);
    t.match(stored.id, /\.webp$/);
    t.equal(stored.url, `${media.address}/media/${stored.id}`);
    t.equal(stored.thumbnailUrl, stored.url, 'no resizing here: the thumbnail is the image');
    t.same(readdirSync(media.dir), [stored.id]);
  });

  t.test('remove never follows a path out of the folder', async (t) => {
    const media = await servedMedia();
    t.teardown(media.close);
    await media.store.put({ bytes: sampleImage('image/png'), type: 'image/png' });
    const outside = join(media.dir, '..', 'precious.jpg');
    writeFileSync(outside, 'keep me');
    for (const id of ['../precious.jpg', `${media.dir}/../precious.jpg`, 'food-shop/products/abc', '']) {
      await t.resolves(media.store.remove(id), JSON.stringify(id));
    }
    t.ok(existsSync(outside), 'the file outside is untouched');
    t.equal(readdirSync(media.dir).length, 1, 'the stored image is untouched');
  });

  t.test('the media route serves a stored file with its type, cached for good', async (t) => {
    const media = await servedMedia();
    t.teardown(media.close);
    for (const [type, ext] of [['image/jpeg', 'jpg'], ['image/png', 'png'], ['image/webp', 'webp']] as const) {
      const bytes = sampleImage(type);
      const stored = await media.store.put({ bytes, type });
      const answer = await fetch(stored.url);
      t.equal(answer.status, 200, ext);
      t.equal(answer.headers.get('content-type'), type);
      t.equal(answer.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      t.equal(answer.headers.get('x-content-type-options'), 'nosniff');
      t.same(Buffer.from(await answer.arrayBuffer()), Buffer.from(bytes));
    }
  });

  t.test('the media route answers 404 in the error shape for unknown or suspicious names', async (t) => {
    const media = await servedMedia();
    t.teardown(media.close);
    writeFileSync(join(media.dir, '..', 'secret.txt'), 'not for the web');
    const names = [
      '0123456789abcdef0123456789abcdef.png', // well formed, never stored
      '..%2Fsecret.txt',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%2F..%2F..%2Fetc%2Fpasswd',
      'ABCDEF0123456789.png', // upper case is never generated
      '0123456789abcdef.gif',
      '0123456789abcdef.png.txt',
    ];
    for (const name of names) {
      const answer = await fetch(`${media.address}/media/${name}`);
      t.equal(answer.status, 404, name);
      t.match(answer.headers.get('content-type'), /^application\/json/);
      t.match(await answer.json(), { error: { code: 'NOT_FOUND', message: String } }, name);
    }
  });
});

t.test('cloudinary image store (through the SDK, against a local stand-in)', async (t) => {
  t.test('contract', async (t) =>
    imageStoreContract(t, async () => ({
      store: cloudinaryImages(cloudinary),
      fetchBytes: async (stored) => standIn.images.get(stored.id)?.bytes ?? null,
      close: async () => undefined,
    })),
  );

  t.test('uploads go into the shop folder, never overwriting, with a transformed thumbnail', async (t) => {
    const store = cloudinaryImages(cloudinary);
    const stored = await store.put({ bytes: sampleImage('image/png'), type: 'image/png' });
    t.match(stored.id, /^food-shop\/products\/\w+$/);
    t.equal(standIn.images.get(stored.id)?.folder, 'food-shop/products');
    t.match(stored.url, new RegExp(`^https://res\\.cloudinary\\.com/${standIn.cloud}/image/upload/v\\d+/${stored.id}\\.png$`));
    const thumbnail = new URL(stored.thumbnailUrl);
    t.equal(thumbnail.protocol, 'https:');
    t.equal(thumbnail.hostname, 'res.cloudinary.com');
    for (const part of ['c_fill', 'w_400', 'h_400', 'g_auto', 'f_auto', 'q_auto']) t.match(thumbnail.pathname, part);
    t.ok(thumbnail.pathname.endsWith(`/${stored.id}`), 'of this image');
    const upload = standIn.requests.findLast((r) => r.action === 'upload')!;
    t.equal(upload.params.overwrite, '0', 'overwrite: false');

    await store.remove(stored.id);
    const destroy = standIn.requests.findLast((r) => r.action === 'destroy')!;
    t.match(destroy.params, { public_id: stored.id, invalidate: /^(true|1)$/ }, 'CDN copies are invalidated');
  });

  t.test('the folder is an option', async (t) => {
    const stored = await cloudinaryImages(cloudinary, { folder: 'other-shop/items' }).put({ bytes: sampleImage('image/jpeg'), type: 'image/jpeg' });
    t.match(stored.id, /^other-shop\/items\//);
    t.equal(standIn.images.get(stored.id)?.folder, 'other-shop/items');
  });

  t.test('a refused upload is an error that says why', async (t) => {
    const before = standIn.uploads;
    await t.rejects(cloudinaryImages(cloudinary).put({ bytes: Buffer.from('not an image'), type: 'image/png' }), {
      message: /Cloudinary upload failed \(400\): Invalid image file/,
    });
    t.equal(standIn.uploads, before);
  });

  t.test('the stand-in checks signatures as Cloudinary does', async (t) => {
    const signed = (params: Record<string, string>, secret = standIn.apiSecret) => {
      const form = new FormData();
      for (const [key, value] of Object.entries(params)) form.append(key, value);
      form.append('signature', cloudinarySignature(params, secret));
      form.append('api_key', standIn.apiKey);
      form.append('file', new Blob([sampleImage('image/png')]), 'file');
      return form;
    };
    const uploadUrl = `${standIn.url}/v1_1/${standIn.cloud}/image/upload`;
    const params = { folder: 'food-shop/products', timestamp: String(Math.floor(Date.now() / 1000)) };

    const good = await fetch(uploadUrl, { method: 'POST', body: signed(params) });
    t.equal(good.status, 200, 'a correctly signed request passes');

    const tampered = signed(params);
    tampered.set('folder', 'somewhere-else');
    const answer = await fetch(uploadUrl, { method: 'POST', body: tampered });
    t.equal(answer.status, 401, 'a parameter changed after signing');
    t.match(await answer.json(), { error: { message: /Invalid Signature/ } });

    const wrongSecret = await fetch(uploadUrl, { method: 'POST', body: signed(params, 'not-the-secret') });
    t.equal(wrongSecret.status, 401, 'signed with another secret');

    // And through the SDK itself, with a wrong secret for one call.
    const refused = await new Promise<unknown>((resolve) =>
      cloudinary.uploader.upload_stream({ api_secret: 'not-the-secret', folder: 'food-shop/products' }, resolve).end(sampleImage('image/png')),
    );
    t.match(refused, { http_code: 401 });
  });
});
