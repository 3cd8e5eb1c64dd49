import type { ProductListQuery } from './inputs.js';

/**
 * The words of a search as both stores read them (lower case, letters and digits, every word
 * must match, in any order): "Green  APPLES" and "apples green" are one search.
 */
export function searchWords(q: string | undefined): string | undefined {
  const words = q?.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  return words ? [...new Set(words)].sort().join(' ') : undefined;
}

/** A listing query with its search in normal form, so equal questions look equal. */
export const normalListing = (query: ProductListQuery): ProductListQuery => ({ ...query, q: searchWords(query.q) });

/**
 * The cache key of a listing, or null when it is not worth caching. Every parameter has its
 * place and its default, so the order of a URL's parameters never makes a second entry.
 * Price bounds are free numbers: each value would be an entry of its own, so an anonymous
 * client could fill the cache by counting; those listings are read from the store.
 */
export function listingCacheKey({ category, q, inStock, sort, page, limit, minPrice, maxPrice }: ProductListQuery): string | null {
  if (minPrice !== undefined || maxPrice !== undefined) return null;
  return `list:${JSON.stringify([category ?? null, q ?? null, inStock ?? null, sort, page, limit])}`;
}
