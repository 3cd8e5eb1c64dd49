import { DomainError } from '../errors.js';
import type { DomainEvent } from '../ports.js';
import type { Page } from '../users/user.js';
import type { Allergen, Diet, FoodFacts } from './food.js';
import type { TaxClass } from './tax.js';
import type { Selling } from './weight.js';

export interface Category {
  id: string;
  name: string;
  slug: string;
}

/**
 * A product; its food facts (allergens, diets, ingredients, nutrition) are in food.ts, how it is
 * sold (by the piece or by weight) in weight.ts. Sold by weight, priceCents is per kilogram and
 * stock and onHand count grams.
 */
export interface Product extends FoodFacts, Selling {
  id: string;
  name: string;
  description: string;
  /** A category's slug. */
  category: string;
  priceCents: number;
  currency: string;
  /** Available: what orders can still take (onHand less what confirmed, unshipped orders hold). */
  stock: number;
  /** On the shelves: set by a stocktake, moved by deliveries and losses, taken when an order ships. */
  onHand: number;
  unit: string;
  /** Which VAT rate its tax-inclusive price holds (tax.ts). */
  taxClass: TaxClass;
  imageUrl?: string;
  thumbnailUrl?: string;
  /** The image store's id of the current image, to remove it when replaced. Never shown. */
  imageId?: string;
  available: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** relevance: a name match before a description match, a whole word before a prefix, then newest. */
export type ProductSort = 'relevance' | 'newest' | 'price' | '-price' | 'name';

export interface ProductQuery {
  category?: string;
  /** Words searched in name and description. */
  q?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  /** Only products carrying every one of these labels. */
  diet?: Diet[];
  /** Leave out products containing or maybe containing any of these, and those not declaring allergens. */
  excludeAllergens?: Allergen[];
  /** Only products marked available (true), only the others (false), or all (undefined). */
  available?: boolean;
  /** `relevance` only with words to search. */
  sort: ProductSort;
  offset: number;
  limit: number;
}

/**
 * The most units a product can have on hand: a delivery or a stocktake that would go past it is
 * refused (STOCK_TOO_LARGE). Well inside the stores' 32-bit integers, whatever the deltas add up to.
 */
export const MAX_STOCK = 1_000_000;

export type ProductChange = Partial<
  Pick<
    Product,
    'name' | 'description' | 'category' | 'priceCents' | 'currency' | 'unit' | 'taxClass' | 'available' | 'allergens' | 'diets' | 'ingredients' | 'nutrition' | 'stepGrams' | 'minGrams'
  >
> & {
  /** `null` removes it. */
  typicalGrams?: number | null;
} & {
  /** A stocktake: the count on the shelf; stock becomes onHand less what orders hold. */
  onHand?: number;
  /** A delivery (+) or a loss (−): onHand and stock move together, from their values at the moment of the write. */
  stockDelta?: number;
  /** `null` removes the image. */
  image?: { imageUrl: string; thumbnailUrl: string; imageId: string } | null;
  updatedAt: Date;
};

/**
 * Storage of products. Deleted products are gone for every read here (they stay stored
 * for the record); writes store their events in the outbox in the same transaction.
 */
export interface ProductRepository {
  /**
   * UNKNOWN_CATEGORY when the product's category does not exist (also by `update` for a new
   * category), checked in the store: a category deleted at the same moment either waits for the
   * product (and is then in use) or goes first (and the product is refused).
   */
  create(product: Product, events?: DomainEvent[]): Promise<void>;
  findById(id: string): Promise<Product | null>;
  /** Products of these ids, deleted ones too (`deleted`), so carts and orders can name what they hold. */
  findByIds(ids: string[]): Promise<(Product & { deleted: boolean })[]>;
  /**
   * Writes the stock change, if any, in one conditional write with the rest; refuses it with
   * stockRefusal's error (nothing changes then).
   */
  update(id: string, change: ProductChange, events?: DomainEvent[]): Promise<Product | null>;
  delete(id: string, deletedAt: Date, events?: DomainEvent[]): Promise<Product | null>;
  list(query: ProductQuery): Promise<Page<Product>>;
}

export interface CategoryRepository {
  /** Throws DomainError SLUG_TAKEN when the slug exists. */
  create(category: Category, events?: DomainEvent[]): Promise<void>;
  findBySlug(slug: string): Promise<Category | null>;
  list(): Promise<Category[]>;
  /**
   * Renames the category, or moves it to a new slug together with every product in it (one
   * transaction: an admin's rare write, not the saga). SLUG_TAKEN when the new slug exists;
   * null when there is no such category.
   */
  update(slug: string, change: { name?: string; slug?: string }, events?: DomainEvent[]): Promise<Category | null>;
  /** 'in-use' while a product that is not deleted is in it; 'missing' when there is no such category. */
  delete(slug: string, events?: DomainEvent[]): Promise<'deleted' | 'in-use' | 'missing'>;
}

/**
 * Why a stock change cannot be written over these numbers, or null when it can. The stores enforce
 * the same rule in their conditional writes; this only names the refusal when a write matched nothing.
 */
export function stockRefusal(current: Pick<Product, 'stock' | 'onHand'>, change: Pick<ProductChange, 'onHand' | 'stockDelta'>): DomainError | null {
  const held = current.onHand - current.stock;
  const next = (change.onHand ?? current.onHand) + (change.stockDelta ?? 0);
  if (next < held) {
    return change.onHand !== undefined
      ? new DomainError('STOCK_BELOW_HELD', `Orders not yet shipped hold ${held} units: the shelf cannot have fewer`, [{ path: 'body.onHand', held }])
      : new DomainError('STOCK_NEGATIVE', 'The stock would go below zero', [{ path: 'body.stockDelta', stock: current.stock }]);
  }
  // A product already above the bound (stored before it existed) may still come down.
  if (next > current.onHand && next > MAX_STOCK) {
    const path = change.onHand !== undefined ? 'body.onHand' : 'body.stockDelta';
    return new DomainError('STOCK_TOO_LARGE', `At most ${MAX_STOCK} units on hand`, [{ path, onHand: current.onHand }]);
  }
  return null;
}
