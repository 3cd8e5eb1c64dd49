import type { ClientSession, Connection } from 'mongoose';
import { DomainError } from '#domain/errors.js';
import { MAX_STOCK, stockRefusal, type Product, type ProductChange, type ProductQuery, type ProductRepository } from '#domain/catalog/product.js';
import type { SoldBy } from '#domain/catalog/weight.js';
import { allergenRisk, type Allergen, type Allergens, type Diet, type Nutrition } from '#domain/catalog/food.js';
import type { TaxClass } from '#domain/catalog/tax.js';
import { productNameWords, productSearchWords, searchWords } from '#domain/catalog/search-words.js';
import { mongoModels, onHandNow } from './models.js';
import { appendEvents } from './mongo-outbox.js';
import { inTransaction } from './transaction.js';

/** A product as stored: the domain's fields and what the listing filters and sorts on. */
export interface ProductDoc {
  _id: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  stock: number;
  /** Missing on documents stored before it existed (see onHandNow). */
  onHand?: number;
  unit: string;
  /** Missing on documents stored before tax classes: standard. */
  taxClass?: TaxClass;
  imageUrl?: string;
  thumbnailUrl?: string;
  imageId?: string;
  available: boolean;
  createdAt: Date;
  updatedAt: Date;
  nameLower: string;
  searchWords: string[];
  nameWords: string[];
  deletedAt: Date | null;
  holds?: Record<string, number>;
  /** Missing on documents stored before food facts existed: read as not declared, none, empty. */
  allergens?: Allergens | null;
  /** Contains and may contain together, null when not declared: what excludeAllergens reads. */
  allergenRisk?: Allergen[] | null;
  diets?: Diet[];
  ingredients?: string;
  nutrition?: Nutrition | null;
  /** Missing on documents stored before it existed: sold by the piece. */
  by?: SoldBy;
  stepGrams?: number;
  minGrams?: number;
  typicalGrams?: number;
}

export const productDoc = ({ id, ...product }: Product): ProductDoc => ({
  _id: id,
  ...product,
  nameLower: product.name.toLowerCase(),
  searchWords: productSearchWords(product),
  nameWords: productNameWords(product),
  allergenRisk: allergenRisk(product.allergens),
  deletedAt: null,
});

/** Field by field, as the SQL adapter maps its columns: whatever else a document holds stays in the store. */
export const toProduct = (d: ProductDoc): Product => ({
  id: d._id,
  name: d.name,
  description: d.description,
  category: d.category,
  priceCents: d.priceCents,
  currency: d.currency,
  stock: d.stock,
  onHand: d.onHand ?? d.stock + Object.values(d.holds ?? {}).reduce((sum, held) => sum + held, 0),
  unit: d.unit,
  taxClass: d.taxClass ?? 'standard',
  ...(d.imageUrl ? { imageUrl: d.imageUrl, thumbnailUrl: d.thumbnailUrl ?? d.imageUrl } : {}),
  ...(d.imageId ? { imageId: d.imageId } : {}),
  available: d.available,
  allergens: d.allergens ? { contains: d.allergens.contains, mayContain: d.allergens.mayContain } : null,
  diets: d.diets ?? [],
  ingredients: d.ingredients ?? '',
  nutrition: d.nutrition
    ? (({ energyKcal, fat, saturates, carbohydrate, sugars, protein, salt }) => ({ energyKcal, fat, saturates, carbohydrate, sugars, protein, salt }))(d.nutrition)
    : null,
  by: d.by ?? 'piece',
  ...(d.by === 'weight' ? { stepGrams: d.stepGrams!, minGrams: d.minGrams! } : {}),
  ...(d.by === 'weight' && d.typicalGrams ? { typicalGrams: d.typicalGrams } : {}),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

const sorts: Record<Exclude<ProductQuery['sort'], 'relevance'>, Record<string, 1 | -1>> = {
  newest: { createdAt: -1, _id: -1 },
  price: { priceCents: 1, _id: 1 },
  '-price': { priceCents: -1, _id: -1 },
  name: { nameLower: 1, _id: 1 },
};

/**
 * The listing's filter and sort, on their own so a test can explain them and run them in memory.
 * A search word must start one of the stored words: an anchored, case-sensitive pattern on words
 * that are already lower case, which the index reads as a range ("appl" up to "appm"). The words
 * are letters and digits only, so they carry no pattern syntax.
 */
export function productListQuery(query: ProductQuery) {
  const filter: Record<string, unknown> = { deletedAt: null };
  if (query.category) filter.category = String(query.category);
  const words = query.q ? searchWords(query.q) : [];
  if (words.length) filter.searchWords = { $all: words.map((word) => new RegExp(`^${word}`)) };
  const price: Record<string, number> = {};
  if (query.minPrice !== undefined) price.$gte = query.minPrice;
  if (query.maxPrice !== undefined) price.$lte = query.maxPrice;
  if (Object.keys(price).length) filter.priceCents = price;
  if (query.inStock !== undefined) filter.stock = query.inStock ? { $gt: 0 } : 0;
  if (query.available !== undefined) filter.available = query.available;
  if (query.diet?.length) filter.diets = { $all: query.diet.map(String) };
  // Not declared (null or missing) is left out too: unknown is no answer for an allergic person.
  if (query.excludeAllergens?.length) filter.allergenRisk = { $type: 'array', $nin: query.excludeAllergens.map(String) };
  const relevance = query.sort === 'relevance' && words.length ? words : undefined;
  return { filter, sort: sorts[query.sort === 'relevance' ? 'newest' : query.sort], relevance };
}

/**
 * Relevance as domain/catalog/search-words.ts defines it, computed by the server for each
 * matching product: per search word 4 (a whole word of the name), 3 (starts one), 2 (a whole
 * word of the description), else 1.
 */
export function relevanceScore(words: string[]) {
  const nameWords = { $ifNull: ['$nameWords', []] };
  return {
    $add: words.map((w) => ({
      $switch: {
        branches: [
          { case: { $in: [w, nameWords] }, then: 4 },
          { case: { $anyElementTrue: [{ $map: { input: nameWords, as: 'n', in: { $eq: [{ $indexOfCP: ['$$n', w] }, 0] } } }] }, then: 3 },
          { case: { $in: [w, { $ifNull: ['$searchWords', []] }] }, then: 2 },
        ],
        default: 1,
      },
    })),
  };
}

/**
 * A stock change as one conditional update of the product: onHand becomes the stocktake's count
 * or moves by the delta, stock moves by as much (what orders hold stays), and the filter refuses
 * what stockRefusal refuses. A pipeline, so the new numbers come from the document as it is.
 */
export function stockUpdate(id: string, { onHand, stockDelta = 0 }: Pick<ProductChange, 'onHand' | 'stockDelta'>) {
  for (const n of [onHand ?? 0, stockDelta]) {
    if (!Number.isInteger(n)) throw new Error(`onHand and stockDelta are whole numbers, not ${n}`);
  }
  const next = { $add: [onHand ?? onHandNow, stockDelta] };
  const stock = { $add: ['$stock', { $subtract: [next, onHandNow] }] };
  const filter = {
    _id: String(id),
    deletedAt: null,
    $expr: { $and: [{ $gte: [stock, 0] }, { $or: [{ $lte: [next, onHandNow] }, { $lte: [next, MAX_STOCK] }] }] },
  };
  return { filter, update: [{ $set: { onHand: next, stock } }] };
}

/** Products in MongoDB. Writes with events run in a transaction (transaction.ts). */
export function mongoProducts(connection: Connection): ProductRepository {
  const { Product, Category } = mongoModels(connection);
  /**
   * Inside the transaction that puts a product in `slug`: UNKNOWN_CATEGORY when it is not there.
   * Reading the category would not be safe: a deletion at the same moment reads a snapshot
   * without our product, writes only the category, and both would commit. So the product's
   * transaction writes the category document too (a counter): of the two, the later write is a
   * write conflict, the driver runs that transaction again (TransientTransactionError), and its
   * new snapshot sees the other's outcome: the product in the category, or the category gone.
   */
  const holdCategory = async (session: ClientSession, slug: string) => {
    const held = await Category.updateOne({ slug: String(slug) }, { $inc: { productWrites: 1 } }, { session });
    if (!held.matchedCount) throw new DomainError('UNKNOWN_CATEGORY', 'There is no such category', [{ path: 'body.category' }]);
  };
  const live = (id: string) => ({ _id: String(id), deletedAt: null });
  const found = (doc: unknown) => (doc ? toProduct(doc as ProductDoc) : null);
  const after = { returnDocument: 'after', lean: true } as const;
  // Mongoose skips validators on updates unless asked: this keeps min: 0 and whole numbers, as the SQL CHECKs do.
  const validated = { ...after, runValidators: true } as const;

  return {
    async create(product, events) {
      await inTransaction(connection, async (session) => {
        await holdCategory(session, product.category);
        await Product.create([productDoc(product)], { session });
        await appendEvents(connection, session, events);
      });
    },

    findById: async (id) => found(await Product.findOne(live(id)).lean()),

    async findByIds(ids) {
      const docs = await Product.find({ _id: { $in: ids.map(String) } }).lean<ProductDoc[]>();
      return docs.map((doc) => ({ ...toProduct(doc), deleted: doc.deletedAt !== null }));
    },

    async update(id, { image, updatedAt, stockDelta, onHand, ...fields }, events) {
      const set: Record<string, unknown> = { updatedAt };
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) set[key] = value;
      if (fields.name !== undefined) set.nameLower = fields.name.toLowerCase();
      if (fields.allergens !== undefined) set.allergenRisk = allergenRisk(fields.allergens);
      const change: Record<string, unknown> = { $set: set };
      if (image) Object.assign(set, image);
      if (image === null) change.$unset = { imageUrl: 1, thumbnailUrl: 1, imageId: 1 };
      if (fields.typicalGrams === null) {
        delete set.typicalGrams;
        change.$unset = { ...(change.$unset as object), typicalGrams: 1 };
      }
      const stock = onHand !== undefined || stockDelta ? stockUpdate(id, { onHand, stockDelta }) : null;
      const doc = await inTransaction(connection, async (session) => {
        if (fields.category) await holdCategory(session, fields.category);
        // Relative to the numbers at the moment of the write, so a sale at the same time is never lost.
        if (stock && !(await Product.collection.updateOne(stock.filter as never, stock.update, { session })).matchedCount) {
          // Refused or gone: the transaction's snapshot is the one the filter saw.
          const current = (await Product.findOne(live(id)).session(session).lean()) as ProductDoc | null;
          if (!current) return null;
          throw stockRefusal(toProduct(current), { onHand, stockDelta }) ?? new Error('the stock change matched nothing');
        }
        const updated = (await Product.findOneAndUpdate(live(id), change, { ...validated, session })) as ProductDoc | null;
        if (!updated) return null;
        // The words come from the name and description as stored now; the transaction holds the document.
        if (fields.name !== undefined || fields.description !== undefined) {
          const words = { searchWords: productSearchWords(updated), nameWords: productNameWords(updated) };
          await Product.updateOne({ _id: updated._id }, { $set: words }, { session });
        }
        await appendEvents(connection, session, events);
        return updated;
      });
      return found(doc);
    },

    delete(id, deletedAt, events) {
      return inTransaction(connection, async (session) => {
        const doc = await Product.findOneAndUpdate(live(id), { $set: { deletedAt, updatedAt: deletedAt } }, { ...after, session });
        if (doc) await appendEvents(connection, session, events);
        return found(doc);
      });
    },

    /**
     * The page and its total from one point in time: a snapshot session reads both at the cluster
     * time of its first read, so a product written in between never shows in one and not the other.
     * Each read keeps its own best plan (the page stops after offset + limit index entries, the count
     * reads index keys), which one $facet aggregation would not: it fetches every matching document.
     */
    async list(query) {
      const { filter, sort, relevance } = productListQuery(query);
      const session = await connection.startSession({ snapshot: true });
      try {
        const docs = relevance
          ? await Product.aggregate([
              { $match: filter },
              { $addFields: { relevance: relevanceScore(relevance) } },
              { $sort: { relevance: -1, ...sort } },
              { $skip: query.offset },
              { $limit: query.limit },
            ]).session(session)
          : await Product.find(filter).sort(sort).skip(query.offset).limit(query.limit).session(session).lean();
        // A short page that is not past the end says the total itself.
        const short = docs.length < query.limit && (docs.length > 0 || query.offset === 0);
        const total = short ? query.offset + docs.length : await Product.countDocuments(filter).session(session);
        return { items: docs.map((d) => toProduct(d as unknown as ProductDoc)), total };
      } finally {
        await session.endSession();
      }
    },
  };
}

/**
 * Products stored before search words existed get them (a start-up step). Idempotent, so replicas
 * starting together may race; the index on (deletedAt, searchWords) finds the ones without words.
 */
export async function fillSearchWords(connection: Connection) {
  const { Product } = mongoModels(connection);
  const missing = { deletedAt: null, $or: [{ searchWords: null }, { nameWords: null }] };
  const docs = await Product.find(missing, { name: 1, description: 1 }).lean();
  if (!docs.length) return 0;
  await Product.bulkWrite(
    docs.map((d) => {
      const product = d as unknown as ProductDoc;
      const words = { searchWords: productSearchWords(product), nameWords: productNameWords(product) };
      return { updateOne: { filter: { _id: d._id, ...missing }, update: { $set: words } } };
    }),
  );
  return docs.length;
}

/**
 * Products stored before onHand existed get it (a start-up step): stock plus what orders hold.
 * One pipeline update per document reads both from the same version, so a hold at the same time
 * is counted once; idempotent, so replicas starting together may race.
 */
export async function fillOnHand(connection: Connection) {
  const products = mongoModels(connection).Product.collection;
  // A read first: a replica starting on a store in step writes nothing.
  if (!(await products.findOne({ onHand: null }, { projection: { _id: 1 } }))) return 0;
  const { modifiedCount } = await products.updateMany({ onHand: null }, [{ $set: { onHand: onHandNow } }]);
  return modifiedCount;
}
