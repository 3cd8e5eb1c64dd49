import t from 'tap';
import { noFoodFacts } from '#domain/catalog/food.js';
import { inspectImage } from '#adapters/image-size-inspector.js';
import { memoryKv } from '#adapters/memory-kv.js';
import { createCatalog } from '#domain/catalog/catalog.js';
import { versionedCache } from '#domain/versioned-cache.js';
import type { ImageStore } from '#domain/catalog/images.js';
import type { CategoryRepository, Product, ProductRepository } from '#domain/catalog/product.js';
import { eventFactory } from '#domain/events.js';
import { jpeg, png } from './helpers/images.js';

/**
 * The catalog service's promise about images when storage fails after an upload: the
 * uploaded image is removed again (no orphan), and a replaced one only after the product
 * points at the new one. Failures the HTTP suites cannot provoke are made here.
 */
function setUp({ failWrites = false } = {}) {
  const stored = new Set<string>();
  const products = new Map<string, Product>();
  let n = 0;
  const images: ImageStore = {
    async put() {
      const id = `img${++n}`;
      stored.add(id);
      return { id, url: `https://img/${id}`, thumbnailUrl: `https://img/${id}?thumb` };
    },
    async remove(id) {
      stored.delete(id);
    },
  };
  const repo: ProductRepository = {
    async create(product) {
      if (failWrites) throw new Error('database went away');
      products.set(product.id, product);
    },
    findById: async (id) => products.get(id) ?? null,
    findByIds: async (ids) => ids.flatMap((id) => (products.has(id) ? [{ ...products.get(id)!, deleted: false }] : [])),
    async update(id, { image, updatedAt, ...fields }) {
      if (failWrites) throw new Error('database went away');
      const product = products.get(id);
      if (!product) return null;
      const next = { ...product, ...fields, ...(image ?? {}), updatedAt } as Product;
      products.set(id, next);
      return next;
    },
    delete: async () => null,
    list: async () => ({ items: [], total: 0 }),
  };
  const categories: CategoryRepository = {
    create: async () => undefined,
    findBySlug: async (slug) => ({ id: 'c1', name: 'Fruit', slug }),
    list: async () => [],
    update: async () => null,
    delete: async () => 'missing',
  };
  const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
  const ids = () => `id${++n}`;
  const catalog = createCatalog({
    products: repo,
    categories,
    images,
    inspectImage,
    cache: versionedCache(memoryKv(), 60),
    currency: 'USD',
    clock,
    ids,
    event: eventFactory(ids, clock),
  });
  return { catalog, stored, products };
}

const input = { name: 'Gala apples', description: '', category: 'fruit', by: 'piece' as const, priceCents: 299, currency: 'USD', stock: 1, unit: 'kg', available: true, taxClass: 'standard' as const, ...noFoodFacts() };

t.test('a create that fails after the upload removes the image again', async (t) => {
  const { catalog, stored } = setUp({ failWrites: true });
  await t.rejects(catalog.createProduct(input, { image: { bytes: jpeg() } }), /database went away/);
  t.equal(stored.size, 0);
});

t.test('a replaced image is removed once the product shows the new one; a failed replace keeps the old', async (t) => {
  const { catalog, stored, products } = setUp();
  const product = await catalog.createProduct(input, { image: { bytes: jpeg() } });
  const [first] = stored;
  const replaced = await catalog.setImage(product.id, { bytes: png() });
  t.notOk(stored.has(first), 'old image removed');
  t.equal(stored.size, 1);
  t.equal(replaced.imageUrl, `https://img/${[...stored][0]}`);

  products.delete(product.id); // deleted while the upload was on its way
  await t.rejects(catalog.setImage(product.id, { bytes: png() }), { code: 'NOT_FOUND' });
  t.equal(stored.size, 1, 'the new upload went again');
});

t.test('files that are not images never reach the store', async (t) => {
  const { catalog, stored } = setUp();
  await t.rejects(catalog.createProduct(input, { image: { bytes: Buffer.from('GIF89a') } }), { code: 'UNSUPPORTED_MEDIA_TYPE' });
  await t.rejects(catalog.createProduct(input, { image: { bytes: Buffer.concat([jpeg(), Buffer.alloc(5 * 1024 * 1024)]) } }), {
    code: 'PAYLOAD_TOO_LARGE',
  });
  t.equal(stored.size, 0);
});
