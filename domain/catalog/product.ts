import type { DomainEvent } from '../ports.js';
import type { Page } from '../users/user.js';

export interface Category {
  id: string;
  name: string;
  slug: string;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  /** A category's slug. */
  category: string;
  priceCents: number;
  currency: string;
  stock: number;
  unit: string;
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
  /** Only products marked available (true), only the others (false), or all (undefined). */
  available?: boolean;
  /** `relevance` only with words to search. */
  sort: ProductSort;
  offset: number;
  limit: number;
}

export type ProductChange = Partial<
  Pick<Product, 'name' | 'description' | 'category' | 'priceCents' | 'currency' | 'stock' | 'unit' | 'available'>
> & {
  /** Added to the stock as it is at the moment of the write (negative takes away); never below zero. */
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
  /** STOCK_NEGATIVE when a stockDelta would take the stock below zero; nothing changes then. */
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
