import type { KeyValueStore } from '#domain/ports.js';

interface Entry<T = string> {
  value: T;
  expiresAt: number;
}

/**
 * Key-value store in this process's memory: the embedded default. Nothing survives a
 * restart and nothing is shared between processes, so it is not for production.
 */
export function memoryKv(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, Entry>();
  const sets = new Map<string, Entry<Set<string>>>();
  const alive = <T>(map: Map<string, Entry<T>>, key: string) => {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= now()) map.delete(key);
    return entry && entry.expiresAt > now() ? entry : undefined;
  };
  const live = (key: string) => alive(entries, key);
  const expiry = (ttlSeconds?: number) => (ttlSeconds ? now() + ttlSeconds * 1000 : Infinity);
  const sweep = setInterval(() => {
    for (const key of entries.keys()) live(key);
    for (const key of sets.keys()) alive(sets, key);
  }, 60_000).unref();

  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async getMany(keys) {
      return keys.map((key) => live(key)?.value ?? null);
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
    async addToSet(key, member, ttlSeconds) {
      const members = alive(sets, key)?.value ?? new Set<string>();
      sets.set(key, { value: members.add(member), expiresAt: expiry(ttlSeconds) });
    },
    async setMembers(key) {
      return [...(alive(sets, key)?.value ?? [])];
    },
    async close() {
      clearInterval(sweep);
      entries.clear();
      sets.clear();
    },
  };
}
