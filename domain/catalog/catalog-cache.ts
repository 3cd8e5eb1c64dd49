import { createHash, randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../ports.js';

/**
 * Read-through cache of catalog answers in the key-value store. Every entry lives under the
 * catalog's current version; a write stores a new random version before it answers, so no
 * read that starts after a write can find an entry from before it (a reader that raced the
 * write can only have filled the old version, which nobody reads any more). Old entries
 * simply expire.
 */
export function catalogCache(kv: KeyValueStore, ttlSeconds: number, namespace = 'catalog') {
  const versionKey = `${namespace}:version`;
  const entryKey = (version: string, key: string) =>
    `${namespace}:${version}:${createHash('sha1').update(key).digest('base64url')}`;

  return {
    async read<T>(key: string, load: () => Promise<T>): Promise<T> {
      if (ttlSeconds <= 0) return load();
      const version = (await kv.get(versionKey)) ?? '0';
      const cached = await kv.get(entryKey(version, key));
      if (cached !== null) return JSON.parse(cached) as T;
      const value = await load();
      await kv.set(entryKey(version, key), JSON.stringify(value), { ttlSeconds });
      return value;
    },

    async invalidate() {
      await kv.set(versionKey, randomUUID());
    },

    /** Drops one entry of the current version (a product whose stock moved), leaving the rest cached. */
    async drop(key: string) {
      if (ttlSeconds <= 0) return;
      await kv.delete(entryKey((await kv.get(versionKey)) ?? '0', key));
    },
  };
}

export type CatalogCache = ReturnType<typeof catalogCache>;
