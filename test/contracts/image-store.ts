import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { ImageStore, ImageType, StoredImage } from '#domain/catalog/images.js';

export interface ImageStoreHarness {
  store: ImageStore;
  /** The bytes stored behind an image, as its adapter keeps them; null when it is gone. */
  fetchBytes(stored: StoredImage): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

// Tiny files that pass for their type by their magic bytes, with a random payload so no two are alike.
const payload = () => randomBytes(64);
const magic: Record<ImageType, number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/webp': [...Buffer.from('RIFF'), 0x24, 0, 0, 0, ...Buffer.from('WEBPVP8 ')],
};
export const sampleImage = (type: ImageType) => new Uint8Array([...magic[type], ...payload()]);
const types = Object.keys(magic) as ImageType[];

/** What every ImageStore adapter must do; each adapter's test runs this with its harness. */
export function imageStoreContract(t: Test, build: () => Promise<ImageStoreHarness>) {
  let harness: ImageStoreHarness;
  t.beforeEach(async () => {
    harness = await build();
  });
  t.afterEach(() => harness.close());

  t.test('stores jpeg, png and webp, each under its own id, bytes unchanged', async (t) => {
    const ids = new Set<string>();
    for (const type of types) {
      const bytes = sampleImage(type);
      const stored = await harness.store.put({ bytes, type });
      t.type(stored.id, 'string', type);
      t.match(stored.url, /^https?:\/\/\S+$/, `${type} url`);
      t.match(stored.thumbnailUrl, /^https?:\/\/\S+$/, `${type} thumbnail url`);
      t.same(Buffer.from((await harness.fetchBytes(stored)) ?? []), Buffer.from(bytes), `${type} bytes came through`);
      ids.add(stored.id);
    }
    t.equal(ids.size, types.length, 'distinct ids');
  });

  t.test('concurrent puts never share an id or a url', async (t) => {
    const stored = await Promise.all(Array.from({ length: 8 }, () => harness.store.put({ bytes: sampleImage('image/png'), type: 'image/png' })));
    t.equal(new Set(stored.map((s) => s.id)).size, 8);
    t.equal(new Set(stored.map((s) => s.url)).size, 8);
  });

  t.test('remove makes that image gone and leaves the others', async (t) => {
    const gone = await harness.store.put({ bytes: sampleImage('image/jpeg'), type: 'image/jpeg' });
    const kept = await harness.store.put({ bytes: sampleImage('image/webp'), type: 'image/webp' });
    await harness.store.remove(gone.id);
    t.equal(await harness.fetchBytes(gone), null, 'removed');
    t.ok(await harness.fetchBytes(kept), 'the other one is still there');
  });

  t.test('removing twice or removing an unknown id is not an error', async (t) => {
    const stored = await harness.store.put({ bytes: sampleImage('image/png'), type: 'image/png' });
    await harness.store.remove(stored.id);
    await t.resolves(harness.store.remove(stored.id), 'twice');
    await t.resolves(harness.store.remove('never-stored'), 'unknown');
  });
}
