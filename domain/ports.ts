/** Small interfaces the domain needs from the outside world; adapters implement them. */

export interface DomainEvent<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
  callId?: string;
}

/** Events waiting in the transactional outbox until a relay publishes them. */
export interface Outbox {
  pending(limit: number): Promise<DomainEvent[]>;
  markSent(ids: string[]): Promise<void>;
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
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds one and returns the new count; the window (TTL) starts with the first increment. */
  increment(key: string, ttlSeconds: number): Promise<number>;
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
