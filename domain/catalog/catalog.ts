import { DomainError, notFound } from '../errors.js';
import type { EventFactory } from '../events.js';
import type { CallMeta, Clock, IdGenerator } from '../ports.js';
import type { ProductInfo } from '../cart/cart.js';
import type { JsonBytes, Serializer, VersionedCache } from '../versioned-cache.js';
import { checkImage, MAX_IMAGE_BYTES, type ImageInspector, type ImageStore, type StoredImage } from './images.js';
import type { CategoryChange, NewCategory, NewProduct, ProductChangeInput, ProductListQuery } from './inputs.js';
import { listingCacheKey, normalListing } from './listing.js';
import type { Category, CategoryRepository, Product, ProductRepository } from './product.js';
import { publicSelling, sellingChange, sellingOf } from './weight.js';

export interface CatalogDeps {
  products: ProductRepository;
  categories: CategoryRepository;
  images: ImageStore;
  inspectImage: ImageInspector;
  cache: VersionedCache;
  clock: Clock;
  ids: IdGenerator;
  event: EventFactory;
  /** The shop's currency: a product priced in another cannot be ordered. */
  currency: string;
}

/** An uploaded file as the platform hands it over. */
export interface Upload {
  bytes: Uint8Array;
}

export type PublicProduct = Omit<Product, 'imageId' | 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string; pricePerKgCents?: number };

export const publicProduct = ({ imageId: _hidden, createdAt, updatedAt, by: _by, stepGrams: _s, minGrams: _m, typicalGrams: _t, ...product }: Product): PublicProduct => ({
  ...product,
  ...publicSelling({ by: _by, stepGrams: _s, minGrams: _m, typicalGrams: _t, priceCents: product.priceCents }),
  createdAt: createdAt.toISOString(),
  updatedAt: updatedAt.toISOString(),
});

/** A page of the product listing. */
export interface ProductsPage {
  items: PublicProduct[];
  page: number;
  limit: number;
  total: number;
}

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);

/** Products, categories and their images; reads go through the cache, writes invalidate it. */
export function createCatalog({ products, categories, images, inspectImage, cache, clock, ids, event, currency }: CatalogDeps) {
  /** One thing read through the cache as JSON text; a miss (null) is cached briefly and is 404. */
  async function cachedOrNotFound<T, S extends string>(what: string, key: string, load: () => Promise<T | null>, serialize: Serializer<T, S>) {
    const json = await cache.text(key, load, serialize);
    if (json === 'null') throw notFound(what);
    return json;
  }

  async function knownCategory(slug: string) {
    if (!(await categories.findBySlug(slug))) {
      throw new DomainError('UNKNOWN_CATEGORY', `There is no category "${slug}"`, [{ path: 'body.category' }]);
    }
  }

  /** Checks the bytes, stores the image, and removes it again if `use` fails: no orphans. */
  async function withImage<T>(upload: Upload, use: (stored: StoredImage) => Promise<T>): Promise<T> {
    if (upload.bytes.byteLength > MAX_IMAGE_BYTES) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `Images are at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
    }
    const type = await checkImage(upload.bytes, inspectImage);
    if (typeof type !== 'string') throw new DomainError(type.code, type.message);
    const stored = await images.put({ bytes: upload.bytes, type });
    try {
      return await use(stored);
    } catch (error) {
      await images.remove(stored.id).catch(() => undefined);
      throw error;
    }
  }

  /** One currency in the whole catalog, so prices always compare (sorts, filters, carts). */
  const shopCurrency = (given: string | undefined) => {
    if (given !== undefined && given !== currency) {
      throw new DomainError('CURRENCY_MISMATCH', `Prices are in ${currency}, the shop's currency`, [{ path: 'body.currency' }]);
    }
  };

  const imageFields = (stored: StoredImage) => ({
    imageUrl: stored.url,
    thumbnailUrl: stored.thumbnailUrl,
    imageId: stored.id,
  });

  async function written(product: Product | null) {
    if (!product) throw notFound('Product');
    await cache.invalidate();
    return publicProduct(product);
  }

  return {
    /** What carts and orders know of products: current, uncached (a price paid must be the price now). */
    async productInfo(productIds: string[]): Promise<ProductInfo[]> {
      if (!productIds.length) return [];
      return (await products.findByIds(productIds)).map((p) => ({
        id: p.id,
        name: p.name,
        priceCents: p.priceCents,
        by: p.by,
        ...(p.by === 'weight' ? { stepGrams: p.stepGrams!, minGrams: p.minGrams! } : {}),
        currency: p.currency,
        taxClass: p.taxClass,
        ...(p.imageUrl ? { imageUrl: p.imageUrl, thumbnailUrl: p.thumbnailUrl } : {}),
        deleted: p.deleted,
        orderable: !p.deleted && p.available && p.currency === currency,
      }));
    },

    /** The product pages of these products show their stock as it is now (sales moved it). */
    async stockMoved(productIds: string[]) {
      await Promise.all(productIds.map((id) => cache.drop(`product:${id}`)));
    },

    // The answers people read most, straight from the cache as the stored JSON bytes (or the text
    // just written by the caller's serializer: the route's own, so cached and fresh are the same).
    listCategories: <S extends string>(serialize: Serializer<{ items: Category[] }, S>) =>
      cache.json('categories', async () => ({ items: await categories.list() }), serialize),

    async createCategory(input: NewCategory, meta: CallMeta = {}): Promise<Category> {
      const slug = input.slug ?? slugify(input.name);
      if (!slug) throw new DomainError('VALIDATION_FAILED', 'The name gives no usable slug; send one', [{ path: 'body.slug' }]);
      const category = { id: ids(), name: input.name, slug };
      await categories.create(category, [event('category.created', category, meta)]);
      await cache.invalidate();
      return category;
    },

    getCategory: <S extends string>(slug: string, serialize: Serializer<{ category: Category }, S>) =>
      cachedOrNotFound(
        'Category',
        `category:${slug}`,
        async () => {
          const category = await categories.findBySlug(slug);
          return category && { category };
        },
        serialize,
      ),

    /** A new name keeps the slug (links stay valid); a new slug moves the category's products along. */
    async updateCategory(slug: string, change: CategoryChange, meta: CallMeta = {}): Promise<Category> {
      const updated = await categories.update(slug, change, [event('category.updated', { slug, ...change }, meta)]);
      if (!updated) throw notFound('Category');
      await cache.invalidate();
      return updated;
    },

    async deleteCategory(slug: string, meta: CallMeta = {}) {
      const outcome = await categories.delete(slug, [event('category.deleted', { slug }, meta)]);
      if (outcome === 'missing') throw notFound('Category');
      if (outcome === 'in-use') throw new DomainError('CATEGORY_IN_USE', `Products are in "${slug}": move or delete them first`);
      await cache.invalidate();
    },

    getProduct: <S extends string>(id: string, serialize: Serializer<{ product: PublicProduct }, S>) =>
      cachedOrNotFound(
        'Product',
        `product:${id}`,
        async () => {
          const found = await products.findById(id);
          return found && { product: publicProduct(found) };
        },
        serialize,
      ),

    /** Everyone lists available products; admins (`admin`) may list the unavailable ones too. */
    async listProducts<S extends string>(query: ProductListQuery, serialize: Serializer<ProductsPage, S>, { admin = false } = {}): Promise<S | JsonBytes<S>> {
      if (query.available !== 'true' && !admin) {
        throw new DomainError('FORBIDDEN', 'Only admins list unavailable products', [{ path: 'query.available' }]);
      }
      const { page, limit, ...filters } = normalListing(query);
      const load = async (): Promise<ProductsPage> => {
        const { items, total } = await products.list({ ...filters, offset: (page - 1) * limit, limit });
        return { items: items.map(publicProduct), page, limit, total };
      };
      const key = listingCacheKey({ page, limit, ...filters });
      return key ? cache.json(key, load, serialize) : serialize(await load());
    },

    async createProduct(input: NewProduct, { image, id, callId }: CallMeta & { image?: Upload; id?: string } = {}) {
      await knownCategory(input.category);
      shopCurrency(input.currency);
      const now = clock.now();
      const { stock, onHand, by: _by, priceCents: _price, pricePerKgCents: _perKg, stepGrams: _step, minGrams: _min, typicalGrams: _typical, ...fields } = input;
      const count = onHand ?? stock ?? 0; // nothing is held yet
      const base: Product = { id: id ?? ids(), ...fields, ...sellingOf(input), currency, stock: count, onHand: count, createdAt: now, updatedAt: now };
      const create = async (product: Product) => {
        await products.create(product, [event('product.created', publicProduct(product), { callId })]);
        return product;
      };
      const product = image ? await withImage(image, (stored) => create({ ...base, ...imageFields(stored) })) : await create(base);
      return written(product);
    },

    async updateProduct(id: string, change: ProductChangeInput, { callId }: CallMeta = {}) {
      if (change.category) await knownCategory(change.category);
      shopCurrency(change.currency);
      const { pricePerKgCents, stepGrams, minGrams, typicalGrams, ...rest } = change;
      const weighed = { pricePerKgCents, stepGrams, minGrams, typicalGrams: typicalGrams ?? undefined };
      let selling = {};
      if (Object.values(weighed).some((v) => v !== undefined) || change.priceCents !== undefined || typicalGrams === null) {
        // How a product is sold never changes, so the answer read here stays right for the write.
        const current = await products.findById(id);
        if (!current) throw notFound('Product');
        selling = { ...sellingChange(current, { ...weighed, priceCents: change.priceCents }), ...(typicalGrams === null && current.by === 'weight' ? { typicalGrams: null } : {}) };
        if (typicalGrams === null && current.by === 'piece') sellingChange(current, { typicalGrams: 1 });
      }
      const updated = await products.update(id, { ...rest, ...selling, updatedAt: clock.now() }, [
        event('product.updated', { id, changed: Object.keys(change) }, { callId }),
      ]);
      return written(updated);
    },

    async setImage(id: string, upload: Upload, { callId }: CallMeta = {}) {
      const before = await products.findById(id);
      if (!before) throw notFound('Product');
      const after = await withImage(upload, async (stored) => {
        const updated = await products.update(id, { image: imageFields(stored), updatedAt: clock.now() }, [
          event('product.updated', { id, changed: ['imageUrl', 'thumbnailUrl'] }, { callId }),
        ]);
        if (!updated) throw notFound('Product'); // deleted meanwhile: the new image goes again
        return updated;
      });
      // The old image is replaced; removing it can only fail into an orphan, never into a broken product.
      if (before.imageId) await images.remove(before.imageId).catch(() => undefined);
      return written(after);
    },

    async deleteProduct(id: string, { callId }: CallMeta = {}) {
      const deleted = await products.delete(id, clock.now(), [event('product.deleted', { id }, { callId })]);
      await written(deleted);
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
