/** Small interfaces the domain needs from the outside world; adapters implement them. */

export interface DomainEvent<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
  callId?: string;
}

/**
 * Events stored with the change they describe (the transactional outbox), waiting for a relay
 * to publish them. Several relays may share one outbox: `claim` hands each unsent event to one
 * of them for a while (a lease), so none is published twice while its relay lives, and one
 * whose relay died is claimed again when the lease ends, so none is skipped.
 */
export interface Outbox {
  /** Stores events on their own, in one transaction (repositories store theirs with the change). */
  add(events: DomainEvent[]): Promise<void>;
  /** Unsent events, oldest first (the order they were written); for inspection and tests. */
  pending(limit: number): Promise<DomainEvent[]>;
  /** How many events wait unsent, and when the oldest of them happened: what an operator watches. */
  backlog(): Promise<{ unsent: number; oldestOccurredAt: string | null }>;
  /** Takes up to `limit` unsent events nobody holds, oldest first, for `leaseSeconds`. */
  claim(limit: number, leaseSeconds: number): Promise<DomainEvent[]>;
  /** Published: never claimed again. */
  markSent(ids: string[]): Promise<void>;
  /** Not published after all (the broker refused): free to claim again at once. */
  release(ids: string[]): Promise<void>;
  /** Deletes events sent before `before`; answers how many. */
  prune(before: Date): Promise<number>;
  /**
   * Calls `listener` soon after any process commits new events (PostgreSQL NOTIFY, a MongoDB
   * change stream), so a relay publishes within milliseconds instead of at its next poll.
   * Answers the function that stops watching.
   */
  watch(listener: () => void): Promise<() => Promise<void>>;
}

export interface SetOptions {
  ttlSeconds?: number;
  /** Only set when the key does not exist yet; the answer says whether it was set. */
  ifAbsent?: boolean;
}

/** Carts, caches, tokens and counters: Redis in production, memory by default. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  getMany(keys: string[]): Promise<(string | null)[]>;
  /**
   * getMany with the values as their UTF-8 bytes, as the store keeps them: an answer kept as JSON
   * goes out as it is, never decoded and encoded again. The caller must not change them.
   */
  getManyBytes(keys: string[]): Promise<(Uint8Array | null)[]>;
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds one and returns the new count; the window (TTL) starts with the first increment. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Adds a member to the set at `key` and (re)starts the set's TTL. */
  addToSet(key: string, member: string, ttlSeconds: number): Promise<void>;
  /** The members of the set at `key`, in no particular order; none when it does not exist. */
  setMembers(key: string): Promise<string[]>;
  /** Seconds until the key expires (fractions allowed); null when it is missing or never expires. */
  ttl(key: string): Promise<number | null>;
  /**
   * Removes keys past their TTL that the store still holds (the `prune` schedule); answers how
   * many. Records kept here (handled events, async-call answers, tokens) have their retention as
   * their TTL; a store that removes expired keys itself (Redis) has none left and answers 0.
   */
  removeExpired(): Promise<number>;
  close(): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface TokenClaims {
  sub: string;
  role: string;
  jti: string;
  gen: number;
  /** The refresh-token family (session) the token was issued to; absent in tokens from before it. */
  fam?: string;
  exp: number;
}

/** Signs and checks short-lived access tokens (JWT). */
export interface TokenSigner {
  sign(claims: Omit<TokenClaims, 'exp'>, ttlSeconds: number): Promise<string>;
  /** Throws on a bad signature, a wrong key, a wrong issuer or an expired token. */
  verify(token: string): Promise<TokenClaims>;
}

export interface Clock {
  now(): Date;
}

export type IdGenerator = () => string;

export interface CallMeta {
  callId?: string;
}
