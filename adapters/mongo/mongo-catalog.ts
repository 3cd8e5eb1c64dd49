import type { Connection } from 'mongoose';
import { DomainError } from '#domain/errors.js';
import type { CategoryRepository, Product, ProductQuery, ProductRepository } from '#domain/catalog/product.js';
import { duplicateKeyOn, mongoModels } from './models.js';
import { appendEvents } from './mongo-outbox.js';

interface ProductDoc extends Omit<Product, 'id'> {
  _id: string;
  nameLower: string;
  deletedAt: Date | null;
  holds?: Record<string, number>;
}

const toProduct = ({ _id, nameLower: _n, deletedAt: _d, holds: _h, imageUrl, thumbnailUrl, imageId, ...rest }: ProductDoc): Product => ({
  id: _id,
  ...rest,
  ...(imageUrl ? { imageUrl, thumbnailUrl: thumbnailUrl ?? imageUrl } : {}),
  ...(imageId ? { imageId } : {}),
});

/**
 * The $search string for the words of `q`. Words are cut as the SQL adapter cuts them, and each
 * is sent as a quoted phrase: bare `$search` terms are OR-ed ("green apples" would find every green
 * thing) and read `-word` as a negation and `"..."` as a phrase straight from user input, while
 * several phrases must all match, as every word must in SQL. Null when `q` has no words (no filter).
 */
export function textSearch(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  return words ? words.map((w) => `"${w}"`).join(' ') : null;
}

const sorts: Record<ProductQuery['sort'], Record<string, 1 | -1>> = {
  newest: { createdAt: -1, _id: -1 },
  price: { priceCents: 1, _id: 1 },
  '-price': { priceCents: -1, _id: -1 },
  name: { nameLower: 1, _id: 1 },
};

/**
 * Products in MongoDB. Search uses the text index, which matches whole words
 * (PostgreSQL also matches word prefixes); every word of the search must be found (see textSearch).
 * Writes with events run in a session transaction.
 */
export function mongoProducts(connection: Connection): ProductRepository {
  const { Product } = mongoModels(connection);
  const live = (id: string) => ({ _id: String(id), deletedAt: null });
  const found = (doc: unknown) => (doc ? toProduct(doc as ProductDoc) : null);
  const after = { returnDocument: 'after', lean: true } as const;
  // Updates skip schema validators unless asked; this keeps min: 0 on stock/priceCents, as the SQL CHECKs do.
  const validated = { ...after, runValidators: true } as const;

  return {
    async create(product, events) {
      const { id, ...rest } = product;
      await connection.transaction(async (session) => {
        await Product.create([{ _id: id, ...rest, nameLower: product.name.toLowerCase(), deletedAt: null }], { session });
        await appendEvents(connection, session, events);
      });
    },

    findById: async (id) => found(await Product.findOne(live(id)).lean()),

    async findByIds(ids) {
      const docs = await Product.find({ _id: { $in: ids.map(String) } }).lean<ProductDoc[]>();
      return docs.map((doc) => ({ ...toProduct(doc), deleted: doc.deletedAt !== null }));
    },

    async update(id, { image, updatedAt, stockDelta, ...fields }, events) {
      const set: Record<string, unknown> = { updatedAt };
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) set[key] = value;
      if (fields.name !== undefined) set.nameLower = fields.name.toLowerCase();
      const change: Record<string, unknown> = { $set: set };
      if (image) Object.assign(set, image);
      if (image === null) change.$unset = { imageUrl: 1, thumbnailUrl: 1, imageId: 1 };
      // Relative to the stock at the moment of the write, so a sale at the same time is never lost.
      const filter: Record<string, unknown> = live(id);
      if (stockDelta) {
        change.$inc = { stock: stockDelta };
        if (stockDelta < 0) filter.stock = { $gte: -stockDelta };
      }
      const doc = await connection.transaction(async (session) => {
        const updated = await Product.findOneAndUpdate(filter, change, { ...validated, session });
        if (updated) await appendEvents(connection, session, events);
        return updated;
      });
      if (!doc && stockDelta && (await Product.exists(live(id)))) {
        throw new DomainError('STOCK_NEGATIVE', 'The stock would go below zero', [{ path: 'body.stockDelta' }]);
      }
      return found(doc);
    },

    delete(id, deletedAt, events) {
      return connection.transaction(async (session) => {
        const doc = await Product.findOneAndUpdate(live(id), { $set: { deletedAt, updatedAt: deletedAt } }, { ...after, session });
        if (doc) await appendEvents(connection, session, events);
        return found(doc);
      });
    },

    async list(query) {
      const filter: Record<string, unknown> = { deletedAt: null };
      if (query.category) filter.category = String(query.category);
      const search = query.q ? textSearch(query.q) : null;
      if (search) filter.$text = { $search: search };
      const price: Record<string, number> = {};
      if (query.minPrice !== undefined) price.$gte = query.minPrice;
      if (query.maxPrice !== undefined) price.$lte = query.maxPrice;
      if (Object.keys(price).length) filter.priceCents = price;
      if (query.inStock !== undefined) filter.stock = query.inStock ? { $gt: 0 } : 0;
      const [docs, total] = await Promise.all([
        Product.find(filter).sort(sorts[query.sort]).skip(query.offset).limit(query.limit).lean(),
        Product.countDocuments(filter),
      ]);
      return { items: docs.map((d) => toProduct(d as unknown as ProductDoc)), total };
    },
  };
}

export function mongoCategories(connection: Connection): CategoryRepository {
  const { Category } = mongoModels(connection);
  const toCategory = (d: { _id: unknown; name: string; slug: string }) => ({ id: String(d._id), name: d.name, slug: d.slug });
  return {
    async create({ id, ...rest }) {
      try {
        await Category.create({ _id: id, ...rest });
      } catch (error) {
        // Only the slug index means SLUG_TAKEN; a clash on _id is a real error (as for users' emailLower).
        if (duplicateKeyOn(error, 'slug')) throw new DomainError('SLUG_TAKEN', `The slug "${rest.slug}" is taken`);
        throw error;
      }
    },
    async findBySlug(slug) {
      const doc = await Category.findOne({ slug: String(slug) }).lean();
      return doc ? toCategory(doc as never) : null;
    },
    async list() {
      const docs = await Category.find().sort({ name: 1, _id: 1 }).lean();
      return docs.map((d) => toCategory(d as never));
    },
  };
}
