import { createHash, randomUUID } from 'node:crypto';
import type { KeyValueStore } from './ports.js';

export interface VersionedCacheOptions {
  /**
   * Answers stored under one version, at most: however many distinct questions callers ask,
   * the cache stays bounded and the rest is read from the store.
   */
  maxEntries?: number;
  /** What the keys start with: `catalog`, or `profile:<user id>` for one user's profile. */
  namespace?: string;
}

/**
 * Writes an answer as JSON text. The platform hands over the route's own response serializer, so
 * an answer from the cache is the very text a fresh one would be: only the fields the route's
 * response schema names. `S` is the text's type as the caller knows it (the wire type stays there).
 */
export type Serializer<T, S extends string = string> = (answer: T) => S;

declare const textOf: unique symbol;

/**
 * An answer's JSON text `S` as its UTF-8 bytes, as the store keeps it: a cache hit, sent as it
 * is (neither decoded from the store's bytes nor encoded again for the socket).
 */
export type JsonBytes<S extends string = string> = Uint8Array & { readonly [textOf]: S };

const utf8 = new TextEncoder();
const text8 = new TextDecoder();

/** What follows `prefix` in `bytes` (a view, not a copy), or undefined when they do not begin with it. */
function after(bytes: Uint8Array, prefix: Uint8Array) {
  if (bytes.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return undefined;
  return bytes.subarray(prefix.length);
}

const decoded = (value: string | Uint8Array | null) => (value === null || typeof value === 'string' ? value : text8.decode(value));

/** "Not found" is kept this long at most: a made-up id is asked once and then forgotten. */
export const MISS_TTL_SECONDS = 5;

/**
 * Read-through cache of answers in the key-value store, kept as JSON text: the catalog's, and
 * each user's profile. Each entry carries the version it was read under (`<version>\n<json>`),
 * and a read fetches the current version and the entry in one round trip: an entry of another
 * version is a miss. A write stores a new random version (invalidate) after it committed and
 * before it answers, so no read that starts after a write can find an answer from before it,
 * and concurrent writes cannot leave an older one behind (a reader that raced a write can only
 * have stored it under the old version, which nobody takes any more).
 */
export function versionedCache(kv: KeyValueStore, ttlSeconds: number, { maxEntries = 1000, namespace = 'catalog' }: VersionedCacheOptions = {}) {
  const versionKey = `${namespace}:version`;
  const countKey = (version: string) => `${namespace}:${version}:count`;
  const digest = (key: string) => createHash('sha1').update(key).digest('base64url');
  const entryKey = (id: string) => `${namespace}:entry:${id}`;
  const generationKey = (id: string) => `${namespace}:generation:${id}`;

  // A version outlives its entries, then goes: a key per user must not stay forever. A version
  // that went is replaced by a new random one, under which nothing older is found. The same
  // holds for a key's generation (drop).
  const versionTtl = ttlSeconds * 10;

  async function newVersion() {
    // None yet, expired, or dropped by a bounded store: start a new one. Falling back to a fixed
    // name could bring back entries stored under it before a write.
    await kv.set(versionKey, randomUUID(), { ifAbsent: true, ttlSeconds: versionTtl });
    return (await kv.get(versionKey)) ?? randomUUID();
  }

  async function store(version: string, id: string, tag: string, json: string) {
    if ((await kv.increment(countKey(version), ttlSeconds)) > maxEntries) return;
    const ttl = json === 'null' ? Math.min(MISS_TTL_SECONDS, ttlSeconds) : ttlSeconds;
    await kv.set(entryKey(id), `${tag}${json}`, { ttlSeconds: ttl });
  }

  /**
   * The answer to `key` as JSON, written by `serialize`: from the cache, or loaded and stored. An
   * entry counts when it was stored under the current version and the key's current generation
   * (`<version>/<generation>`). A missing answer (null) is the text `null`. `bytes`: a hit is read
   * and answered as the stored bytes, else as text (a miss is always the text just written).
   */
  async function answer<T, S extends string>(key: string, load: () => Promise<T | null>, serialize: Serializer<T, S>, bytes: boolean) {
    const write = (found: T | null) => (found === null ? 'null' : serialize(found)) as S;
    if (ttlSeconds <= 0) return write(await load());
    const id = digest(key);
    const keys = [versionKey, generationKey(id), entryKey(id)];
    const [current, generation, entry] = bytes ? await kv.getManyBytes(keys) : await kv.getMany(keys);
    const version = decoded(current) ?? (await newVersion());
    const tag = `${version}/${decoded(generation) ?? ''}\n`;
    const hit =
      entry === null ? undefined : typeof entry === 'string' ? (entry.startsWith(tag) ? entry.slice(tag.length) : undefined) : after(entry, utf8.encode(tag));
    if (hit !== undefined) return hit as S | JsonBytes<S>;
    const json = write(await load());
    await store(version, id, tag, json);
    return json;
  }

  return {
    /** The answer as JSON, a hit as the stored bytes: for an answer sent as it is. */
    json: <T, S extends string = string>(key: string, load: () => Promise<T | null>, serialize: Serializer<T, S> = JSON.stringify as Serializer<T, S>) =>
      answer(key, load, serialize, true),

    /** The answer as JSON text, for a caller that reads it. */
    text: <T, S extends string = string>(key: string, load: () => Promise<T | null>, serialize: Serializer<T, S> = JSON.stringify as Serializer<T, S>) =>
      answer(key, load, serialize, false) as Promise<S>,

    async invalidate() {
      await kv.set(versionKey, randomUUID(), { ttlSeconds: Math.max(versionTtl, 1) });
    },

    /**
     * Makes one key's entry unseen (a product whose stock moved), leaving the rest cached: a new
     * random generation, so a reader that loaded before the move cannot store its answer as current.
     */
    async drop(key: string) {
      if (ttlSeconds > 0) await kv.set(generationKey(digest(key)), randomUUID(), { ttlSeconds: versionTtl });
    },
  };
}

export type VersionedCache = ReturnType<typeof versionedCache>;
