import type { ProductQuery } from './product.js';
import type { ProductListQuery } from './inputs.js';
import { searchWords } from './search-words.js';

/** A listing as the stores read it, and as the cache keys it (apart from the page). */
export type Listing = Omit<ProductQuery, 'offset' | 'limit'> & { page: number; limit: number };

/**
 * A listing query in normal form, so equal questions look equal: the search as the stores read
 * it (the words of search-words.ts, sorted: "Green  APPLES" and "apples green" are one search),
 * the sort it means (relevance with words, else newest), and which products it shows.
 */
export function normalListing({ q, sort, available, ...rest }: ProductListQuery): Listing {
  const words = q ? searchWords(q).sort().join(' ') : '';
  const effective = sort ?? (words ? 'relevance' : 'newest');
  return {
    ...rest,
    q: words || undefined,
    sort: effective === 'relevance' && !words ? 'newest' : effective,
    available: available === 'all' ? undefined : available === 'true',
  };
}

/**
 * The cache key of a listing, or null when it is not worth caching. Every parameter has its
 * place and its default, so the order of a URL's parameters never makes a second entry.
 * Price bounds are free numbers: each value would be an entry of its own, so an anonymous
 * client could fill the cache by counting; those listings are read from the store. Diets and
 * allergens are names from fixed lists, sorted, so each set of them is one key.
 */
export function listingCacheKey(listing: Listing): string | null {
  const { category, q, inStock, available, sort, page, limit, minPrice, maxPrice, diet, excludeAllergens } = listing;
  if (minPrice !== undefined || maxPrice !== undefined) return null;
  // Diet and allergen lists come sorted and without repeats (food.ts): a finite set of keys.
  const food = [diet?.join(',') ?? null, excludeAllergens?.join(',') ?? null];
  return `list:${JSON.stringify([category ?? null, q ?? null, inStock ?? null, available ?? null, sort, page, limit, ...food])}`;
}
