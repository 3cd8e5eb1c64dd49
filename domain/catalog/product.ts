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

export type ProductSort = 'newest' | 'price' | '-price' | 'name';

export interface ProductQuery {
  category?: string;
  /** Words searched in name and description. */
  q?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
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
  create(category: Category): Promise<void>;
  findBySlug(slug: string): Promise<Category | null>;
  list(): Promise<Category[]>;
}
