import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OrderLimits } from '#domain/orders/orders.js';
import type { AttemptLimits } from '#domain/users/attempts.js';
import type { SessionLimits } from '#domain/users/sessions.js';

export interface Config {
  port: number;
  dataDir: string;
  logLevel: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Prefix of every Redis key, so several shops (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  cloudinaryUrl?: string;
  /** Prefix of local media URLs (`${publicUrl}/media/<file>`); empty gives site-relative URLs. */
  publicUrl: string;
  /** Seconds catalog answers stay cached; 0 turns the cache off. */
  catalogCacheTtl: number;
  /** The one currency of carts and orders (ISO 4217). */
  shopCurrency: string;
  /** What one customer may hold in open orders at once. */
  orderLimits: OrderLimits;
  /** Browser origins allowed to call the API (CORS), such as https://shop.example.com. */
  corsOrigins: string[];
  /** Catalog answers cached per catalog version, at most. */
  catalogCacheMaxEntries: number;
  /** Bytes the in-memory cache store (no REDIS_URL) may hold before it drops the least recently used. */
  memoryCacheMaxBytes: number;
  adminEmail?: string;
  adminPassword?: string;
  jwtPrivateKey?: string;
  jwtPublicKey?: string;
  /** When set, internal (event-driven) functions demand it in `X-Internal-Token`. */
  internalToken?: string;
  maxJsonBytes: number;
  pgPoolSize: number;
  sessions: SessionLimits;
  events: EventSettings;
  attempts: AttemptLimits;
  /** Seconds; unset ones follow the functions' exec_timeout (platform/server.ts). */
  timeouts: { request?: number; headers?: number; keepAlive: number };
  /** Milliseconds an order may stay pending before expire-pending-orders settles it. */
  orderPendingTimeoutMs: number;
  /** Seconds a stop waits for calls and deliveries in flight before the process exits anyway. */
  shutdownTimeout: number;
  /** On embedded defaults, a first start on an empty data directory loads the demo catalog. */
  demoCatalog: boolean;
}

/** The event backbone: outbox relay, bus, connector and async calls. */
export interface EventSettings {
  /** RabbitMQ; unset: the in-process bus. */
  amqpUrl?: string;
  /** Names on the broker start with it: `<prefix>.events`, `<prefix>.<function>.work`, … */
  prefix: string;
  /** Milliseconds before each retry of a failed delivery; then it is dead-lettered. */
  retryDelays: number[];
  /** Deliveries in flight per function. */
  prefetch: number;
  /** Events a function's queue holds at most (RabbitMQ); beyond it the oldest move to its dead letters. */
  queueMaxLength: number;
  /** Milliseconds a connector call may take before it counts as failed (and is retried). */
  callTimeoutMs: number;
  /** Milliseconds between outbox polls, the fallback when no notification arrives. */
  outboxPollMs: number;
  /** Hours sent events stay in the outbox before they are pruned. */
  outboxRetentionHours: number;
  /** Async calls waiting at most; more are refused with 429. */
  asyncMaxQueued: number;
  /** Async calls run at the same time. */
  asyncConcurrency: number;
  /** Whether `npm start` runs the connector and the async worker itself (off when they run on their own). */
  connector: boolean;
}

type Env = Record<string, string | undefined>;

/**
 * An OpenFaaS secret file `/var/openfaas/secrets/<name>` (or under SECRETS_DIR), else the
 * environment variable of the same name in upper snake case (`jwt-private-key` → JWT_PRIVATE_KEY).
 */
export function readSecret(name: string, env: Env = process.env): string | undefined {
  const dir = env.SECRETS_DIR ?? '/var/openfaas/secrets';
  try {
    return readFileSync(join(dir, name), 'utf8').trim() || undefined;
  } catch {
    return env[name.toUpperCase().replaceAll('-', '_')] || undefined;
  }
}

/** `1mb`, `512kb`, `2048` → bytes. */
export function parseSize(text: string | undefined, fallback: number): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(text?.trim() ?? '');
  if (!match) return fallback;
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Math.floor(Number(match[1]) * unit);
}

/** `10s`, `1m30s`, `500ms`, `15` (seconds) → seconds. */
export function parseDuration(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length) return fallback;
  const seconds = { ms: 0.001, s: 1, m: 60, h: 3600 };
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * seconds[unit as keyof typeof seconds], 0);
}

/** `1s,5s,30s` → milliseconds. */
export function parseDurations(text: string | undefined, fallback: number[]): number[] {
  const seconds = (text ?? '').split(',').map((part) => parseDuration(part.trim(), NaN));
  return text && seconds.every((n) => n > 0) ? seconds.map((n) => Math.round(n * 1000)) : fallback;
}

const int = (text: string | undefined, fallback: number) => {
  const n = Number(text);
  return text && Number.isInteger(n) && n > 0 ? n : fallback;
};

const seconds = (text: string | undefined) => (text ? parseDuration(text, NaN) : NaN);
const optionalSeconds = (text: string | undefined) => (seconds(text) >= 0 ? seconds(text) : undefined);

/**
 * Names whose values are secrets or personal data, such as `JWT_PRIVATE_KEY`, `DATABASE_URL`
 * (it may carry a password) or `ADMIN_EMAIL`.
 */
const secretLike = /pass|secret|token|credential|private|auth|cookie|session|email|dsn|(^|_)(url|key)$/i;

/**
 * Environment variables fit to show (`GET /system/functions`): secrets belong in secret files,
 * but a value put in the environment by mistake is still never listed.
 */
export const publicEnvironment = (environment: Record<string, string>) =>
  Object.fromEntries(Object.entries(environment).filter(([name]) => !secretLike.test(name)));

export function loadConfig(env: Env = process.env): Config {
  return {
    port: int(env.PORT, 8080),
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    databaseUrl: readSecret('database-url', env),
    redisUrl: readSecret('redis-url', env),
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'shop:',
    cloudinaryUrl: readSecret('cloudinary-url', env),
    publicUrl: (env.PUBLIC_URL ?? '').replace(/\/+$/, ''),
    catalogCacheTtl: env.CATALOG_CACHE_TTL === '0' ? 0 : int(env.CATALOG_CACHE_TTL, 60),
    shopCurrency: /^[A-Z]{3}$/.test(env.SHOP_CURRENCY ?? '') ? env.SHOP_CURRENCY! : 'USD',
    orderLimits: {
      maxOpenOrders: int(env.MAX_OPEN_ORDERS, 5),
      maxUnitsPerProduct: int(env.MAX_UNITS_PER_PRODUCT, 99),
    },
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    catalogCacheMaxEntries: int(env.CATALOG_CACHE_MAX_ENTRIES, 1000),
    memoryCacheMaxBytes: parseSize(env.MEMORY_CACHE_MAX_SIZE, 64 * 1024 * 1024),
    adminEmail: readSecret('admin-email', env),
    adminPassword: readSecret('admin-password', env),
    jwtPrivateKey: readSecret('jwt-private-key', env),
    jwtPublicKey: readSecret('jwt-public-key', env),
    internalToken: readSecret('internal-token', env),
    maxJsonBytes: parseSize(env.MAX_JSON_SIZE, 1024 * 1024),
    pgPoolSize: int(env.PG_POOL_SIZE, 10),
    sessions: {
      accessTokenTtl: int(env.ACCESS_TOKEN_TTL, 15 * 60),
      refreshTokenTtl: int(env.REFRESH_TOKEN_TTL, 30 * 24 * 3600),
    },
    attempts: {
      window: int(env.LOGIN_WINDOW_SECONDS, 15 * 60),
      maxPerEmailAndIp: int(env.LOGIN_MAX_PER_EMAIL_AND_IP, 10),
      maxPerEmail: int(env.LOGIN_MAX_PER_EMAIL, 50),
      maxPerIp: int(env.LOGIN_MAX_PER_IP, 100),
      registerMaxPerIp: int(env.REGISTER_MAX_PER_IP, 20),
    },
    timeouts: {
      request: optionalSeconds(env.REQUEST_TIMEOUT),
      headers: optionalSeconds(env.HEADERS_TIMEOUT),
      keepAlive: optionalSeconds(env.KEEP_ALIVE_TIMEOUT) ?? 72,
    },
    orderPendingTimeoutMs: Math.round((seconds(env.ORDER_PENDING_TIMEOUT) > 0 ? seconds(env.ORDER_PENDING_TIMEOUT) : 15 * 60) * 1000),
    shutdownTimeout: seconds(env.SHUTDOWN_TIMEOUT) > 0 ? seconds(env.SHUTDOWN_TIMEOUT) : 15,
    demoCatalog: !['false', 'off'].includes(env.DEMO_CATALOG ?? ''),
    events: {
      amqpUrl: readSecret('amqp-url', env),
      prefix: env.EVENTS_PREFIX || 'shop',
      retryDelays: parseDurations(env.EVENT_RETRY_DELAYS, [1_000, 5_000, 30_000, 120_000, 600_000]),
      prefetch: int(env.EVENT_PREFETCH, 32),
      queueMaxLength: int(env.EVENT_QUEUE_MAX_LENGTH, 100_000),
      callTimeoutMs: Math.round(parseDuration(env.EVENT_CALL_TIMEOUT, 30) * 1000),
      outboxPollMs: Math.round(parseDuration(env.OUTBOX_POLL_INTERVAL, 1) * 1000),
      outboxRetentionHours: int(env.OUTBOX_RETENTION_HOURS, 7 * 24),
      asyncMaxQueued: int(env.ASYNC_MAX_QUEUED, 1000),
      asyncConcurrency: int(env.ASYNC_CONCURRENCY, 4),
      connector: env.CONNECTOR !== 'off',
    },
  };
}
