import { LRUCache } from 'lru-cache';
import type { KeyValueStore } from '#domain/ports.js';

interface Entry<T = string> {
  value: T;
  expiresAt: number;
}

export interface MemoryKvOptions {
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
  /**
   * Bound the store's values to about this many bytes, dropping the least recently used keys.
   * Only for caches: tokens, revocations and counters must never be dropped to make room, or
   * anyone who fills the store could undo a logout or reset a rate limit.
   */
  maxBytes?: number;
}

const utf8 = new TextEncoder();

/** The few Map methods the store uses; an LRUCache has them too. */
interface Slots {
  get(key: string): Entry | undefined;
  set(key: string, entry: Entry): unknown;
  delete(key: string): unknown;
  keys(): Iterable<string>;
  clear(): void;
}

/**
 * Key-value store in this process's memory: the embedded default. Nothing survives a
 * restart and nothing is shared between processes, so it is not for production.
 */
export function memoryKv({ now = Date.now, maxBytes }: MemoryKvOptions = {}): KeyValueStore {
  const entries: Slots = maxBytes
    ? new LRUCache<string, Entry>({
        maxSize: maxBytes,
        // JavaScript strings take about two bytes a character.
        sizeCalculation: (entry, key) => 2 * (key.length + entry.value.length) + 64,
      })
    : new Map<string, Entry>();
  const sets = new Map<string, Entry<Set<string>>>();
  const alive = <T>(map: { get(key: string): Entry<T> | undefined; delete(key: string): unknown }, key: string) => {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= now()) map.delete(key);
    return entry && entry.expiresAt > now() ? entry : undefined;
  };
  const live = (key: string) => alive(entries, key);
  const expiry = (ttlSeconds?: number) => (ttlSeconds ? now() + ttlSeconds * 1000 : Infinity);
  /** Drops every expired key; answers how many. */
  const removeExpired = () => {
    let removed = 0;
    for (const key of [...entries.keys()]) if (entries.get(key) && !live(key)) removed++;
    for (const key of [...sets.keys()]) if (!alive(sets, key)) removed++;
    return removed;
  };
  // Memory is this store's only room: expired keys go every minute, not only at `prune`.
  const sweep = setInterval(removeExpired, 60_000).unref();

  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async getMany(keys) {
      return keys.map((key) => live(key)?.value ?? null);
    },
    async getManyBytes(keys) {
      return keys.map((key) => {
        const value = live(key)?.value;
        return value === undefined ? null : utf8.encode(value);
      });
    },
    async set(key, value, { ttlSeconds, ifAbsent } = {}) {
      if (ifAbsent && live(key)) return false;
      entries.set(key, { value, expiresAt: expiry(ttlSeconds) });
      return true;
    },
    async delete(key) {
      entries.delete(key);
      sets.delete(key);
    },
    async increment(key, ttlSeconds) {
      const entry = live(key);
      const count = (entry ? Number(entry.value) : 0) + 1;
      entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? expiry(ttlSeconds) });
      return count;
    },
    async ttl(key) {
      const entry = live(key);
      return entry && entry.expiresAt !== Infinity ? (entry.expiresAt - now()) / 1000 : null;
    },
    async addToSet(key, member, ttlSeconds) {
      const members = alive(sets, key)?.value ?? new Set<string>();
      sets.set(key, { value: members.add(member), expiresAt: expiry(ttlSeconds) });
    },
    async setMembers(key) {
      return [...(alive(sets, key)?.value ?? [])];
    },
    async removeExpired() {
      return removeExpired();
    },
    async close() {
      clearInterval(sweep);
      entries.clear();
      sets.clear();
    },
  };
}
