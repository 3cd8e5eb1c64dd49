import { createHash, randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../ports.js';

export interface CatalogCacheOptions {
  /**
   * Answers stored under one catalog version, at most: however many distinct questions
   * callers ask, the cache stays bounded and the rest is read from the store.
   */
  maxEntries?: number;
  namespace?: string;
}

/** "Not found" is kept this long at most: a made-up id is asked once and then forgotten. */
export const MISS_TTL_SECONDS = 5;

/**
 * Read-through cache of catalog answers in the key-value store. Every entry lives under the
 * catalog's current version; a write stores a new random version before it answers, so no
 * read that starts after a write can find an entry from before it (a reader that raced the
 * write can only have filled the old version, which nobody reads any more). Old entries
 * simply expire.
 */
export function catalogCache(kv: KeyValueStore, ttlSeconds: number, { maxEntries = 1000, namespace = 'catalog' }: CatalogCacheOptions = {}) {
  const versionKey = `${namespace}:version`;
  const countKey = (version: string) => `${namespace}:${version}:count`;
  const entryKey = (version: string, key: string) =>
    `${namespace}:${version}:${createHash('sha1').update(key).digest('base64url')}`;

  async function currentVersion() {
    const version = await kv.get(versionKey);
    if (version) return version;
    // None yet, or dropped by a bounded store: start a new one. Falling back to a fixed name
    // could bring back entries stored under it before a write.
    await kv.set(versionKey, randomUUID(), { ifAbsent: true });
    return (await kv.get(versionKey)) ?? randomUUID();
  }

  async function store(version: string, key: string, value: unknown) {
    if ((await kv.increment(countKey(version), ttlSeconds)) > maxEntries) return;
    const ttl = value === null ? Math.min(MISS_TTL_SECONDS, ttlSeconds) : ttlSeconds;
    await kv.set(entryKey(version, key), JSON.stringify(value), { ttlSeconds: ttl });
  }

  return {
    async read<T>(key: string, load: () => Promise<T>): Promise<T> {
      if (ttlSeconds <= 0) return load();
      const version = await currentVersion();
      const cached = await kv.get(entryKey(version, key));
      if (cached !== null) return JSON.parse(cached) as T;
      const value = await load();
      await store(version, key, value);
      return value;
    },

    async invalidate() {
      await kv.set(versionKey, randomUUID());
    },

    /** Drops one entry of the current version (a product whose stock moved), leaving the rest cached. */
    async drop(key: string) {
      if (ttlSeconds <= 0) return;
      // Without a version nothing is cached yet: there is nothing to drop.
      const version = await kv.get(versionKey);
      if (version) await kv.delete(entryKey(version, key));
    },
  };
}

export type CatalogCache = ReturnType<typeof catalogCache>;
