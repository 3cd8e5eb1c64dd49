import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { memoryKv } from '#adapters/memory-kv.js';
import type { MessageBus } from '#domain/bus.js';
import type { CartStore, WishlistStore } from '#domain/cart/cart.js';
import type { ImageStore } from '#domain/catalog/images.js';
import type { Mailer } from '#domain/mail/mail.js';
import type { CardPayments } from '#domain/payments/provider.js';
import type { KeyValueStore } from '#domain/ports.js';
import type { Store } from '#domain/store.js';
import { mailSender, type Config } from './config.js';

/**
 * Configuration picks the adapter of each port: a real service when its URL is set, else the
 * embedded default. Adapters of services not in use are never loaded.
 */

export const EMBEDDED = 'embedded, not for production';

/**
 * A stalled database or Redis fails the call instead of holding it: the connector gives an event
 * 30 s (EVENT_CALL_TIMEOUT) before it retries, and a client waits no longer than that either.
 * Each is below it, so a stalled step fails, and its retry (every step is safe to repeat) runs
 * on a connection that works.
 */
export const PG_TIMEOUTS = {
  /** Waiting for a free pool connection, or for a new one to open. */
  connectionTimeoutMillis: 10_000,
  /** One statement on the server (sent as the session's statement_timeout). */
  statement_timeout: 15_000,
  /** A transaction left open by a client that stalled: the server ends it and frees its locks. */
  idle_in_transaction_session_timeout: 15_000,
};
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

/** `log` receives what the store's start-up could not put in step (a MongoDB index to rebuild). */
export async function openStore(config: Config, log?: FastifyBaseLogger): Promise<{ store: Store; name: string }> {
  const url = config.databaseUrl;
  if (url?.startsWith('mongodb')) {
    const { openMongoStore } = await import('#adapters/mongo/mongo-connect.js');
    const store = await openMongoStore(url, { poolSize: config.pgPoolSize, warn: (message) => log?.warn(message) });
    return { store, name: 'mongodb (mongoose)' };
  }
  const { sqlStore } = await import('#adapters/sql/sql-store.js');
  if (url?.startsWith('postgres')) {
    const { default: pg } = await import('pg');
    const { pgDatabase } = await import('#adapters/sql/pg-database.js');
    const pool = new pg.Pool({ connectionString: url, max: config.pgPoolSize, ...PG_TIMEOUTS });
    return { store: await sqlStore(pgDatabase(pool)), name: 'postgresql (pg)' };
  }
  if (url) throw new Error('DATABASE_URL must start with postgres://, postgresql:// or mongodb://');
  // The file-system start-up (the data directory, its lock, the first initdb) is the adapter's.
  const { openPgliteStore } = await import('#adapters/sql/pglite-store.js');
  const dir = join(config.dataDir, 'pglite');
  return { store: await openPgliteStore(dir), name: `pglite in ${dir} (${EMBEDDED})` };
}

/**
 * Tokens, limits and caches (kv), carts and wishlists (opened on first use by `openCarts`): one Redis connection, or this process's
 * memory. Caches get their own memory store there (`cacheKv`), bounded (least recently used
 * entries go), so tokens, revocations and counters never share its room; Redis holds them all,
 * bounded by the cache's own limits and Redis's maxmemory.
 */
export async function openKv(
  config: Config,
): Promise<{ kv: KeyValueStore; cacheKv: KeyValueStore; openCarts: () => Promise<CartStores>; name: string }> {
  if (!config.redisUrl) {
    const cacheKv = memoryKv({ maxBytes: config.memoryCacheMaxBytes });
    const openCarts = async () => {
      const { memoryCarts, memoryWishlists } = await import('#adapters/memory-cart.js');
      return { carts: memoryCarts(), wishlists: memoryWishlists() };
    };
    return { kv: memoryKv(), cacheKv, openCarts, name: `in-memory (${EMBEDDED})` };
  }
  // module.exports (`default`): in a function's bundle (templates/shop-node26/bundle.mjs) a
  // CommonJS package's import() has no named exports.
  const { Redis } = (await import('ioredis')).default;
  const { redisKv } = await import('#adapters/redis-kv.js');
  // Auto-pipelining: the commands of concurrent requests go out in one write, not one each.
  const redis = new Redis(config.redisUrl, {
    keyPrefix: config.redisKeyPrefix,
    lazyConnect: true,
    enableAutoPipelining: true,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  await redis.connect();
  // kv.close() ends the one connection the three share.
  const kv = redisKv(redis);
  const openCarts = async () => {
    const { redisCarts, redisWishlists } = await import('#adapters/redis-cart.js');
    return { carts: redisCarts(redis), wishlists: redisWishlists(redis) };
  };
  return { kv, cacheKv: kv, openCarts, name: 'redis (ioredis)' };
}

/** Carts and wishlists: opened by the first function that uses them (platform/deps.ts). */
export interface CartStores {
  carts: CartStore;
  wishlists: WishlistStore;
}

/** The image store configuration picks, named for the start-up log without opening it. */
export function imagesName(config: Config): string {
  return config.cloudinaryUrl ? 'cloudinary' : `files in ${join(config.dataDir, 'media')} (${EMBEDDED})`;
}

export async function openImages(config: Config): Promise<{ images: ImageStore; name: string }> {
  if (config.cloudinaryUrl) {
    // The SDK reads CLOUDINARY_URL (and picks http or https) once, when it is first loaded.
    process.env.CLOUDINARY_URL ??= config.cloudinaryUrl;
    const { v2: cloudinary } = await import('cloudinary');
    const { cloudinaryImages } = await import('#adapters/cloudinary-images.js');
    return { images: cloudinaryImages(cloudinary), name: imagesName(config) };
  }
  const { localImages } = await import('#adapters/local-images.js');
  const dir = join(config.dataDir, 'media');
  return { images: localImages({ dir, baseUrl: `${config.publicUrl}/media` }), name: imagesName(config) };
}

/** How customers may pay, for the start-up log: cards through Stripe when its key is set. */
export function paymentsName(config: Config): string {
  const { stripeSecretKey, stripeApiUrl } = config.payment;
  if (!stripeSecretKey) return 'cash on delivery only (set STRIPE_SECRET_KEY for cards)';
  return `cash on delivery and cards: stripe${stripeApiUrl ? ` at ${stripeApiUrl}` : ''}`;
}

/** Stripe's SDK, loaded on the first card payment; null without a key (cash on delivery only). */
export async function openPayments(config: Config): Promise<CardPayments | null> {
  const { stripeSecretKey, stripeWebhookSecret, stripeApiUrl } = config.payment;
  if (!stripeSecretKey) return null;
  const { default: Stripe } = await import('stripe');
  const { stripePayments } = await import('#adapters/stripe-payments.js');
  const api = stripeApiUrl ? new URL(stripeApiUrl) : undefined;
  const stripe = new Stripe(stripeSecretKey, {
    // Below the connector's 30 s per event: a stalled call fails and its step is retried.
    timeout: 10_000,
    maxNetworkRetries: 1,
    ...(api ? { host: api.hostname, port: api.port || (api.protocol === 'https:' ? 443 : 80), protocol: api.protocol.slice(0, -1) as 'http' | 'https' } : {}),
  });
  return stripePayments(stripe, stripeWebhookSecret);
}

/**
 * SMTP through nodemailer when SMTP_URL is set, else `.eml` files in DATA_DIR/mail. Loaded at the
 * first mail: most functions never send one, and their start stays as it was.
 */
export function openMailer(config: Config, log: FastifyBaseLogger): { mailer: Mailer; name: string } {
  const { smtpUrl } = config.mail;
  const from = mailSender(config);
  const dir = join(config.dataDir, 'mail');
  const load = async (): Promise<Mailer> => {
    if (smtpUrl) return (await import('#adapters/smtp-mailer.js')).smtpMailer(smtpUrl, from);
    const { mailFolder } = await import('#adapters/mail-folder.js');
    return mailFolder(dir, from, ({ to, subject, file }) => log.info({ to, subject, file }, 'mail written (not sent)'));
  };
  let opened: Promise<Mailer> | undefined;
  const mailer: Mailer = {
    send: async (message) => (await (opened ??= load())).send(message),
    close: async () => (opened ? (await opened).close() : undefined),
  };
  return { mailer, name: smtpUrl ? `smtp (nodemailer) to ${new URL(smtpUrl).host}` : `files in ${dir} (${EMBEDDED})` };
}

/** RabbitMQ when AMQP_URL is set (reconnecting on its own, so a broker that is down at start-up is fine), else the in-process bus. */
export async function openBus(config: Config, log: FastifyBaseLogger): Promise<{ bus: MessageBus; name: string }> {
  const { amqpUrl, prefix, retryDelays, queueMaxLength } = config.events;
  if (!amqpUrl) {
    const { memoryBus } = await import('#adapters/memory-bus.js');
    return { bus: memoryBus({ retryDelays }), name: `in-process (${EMBEDDED})` };
  }
  const { default: amqp } = await import('amqp-connection-manager');
  const { rabbitmqBus } = await import('#adapters/rabbitmq-bus.js');
  // noDelay: amqplib leaves Nagle's algorithm on, so a small publish or ack waits for the
  // broker's delayed ACK (40 ms) whenever an earlier one is unacknowledged: every saga step paid it.
  const connection = amqp.connect([amqpUrl], { reconnectTimeInSeconds: 1, heartbeatIntervalInSeconds: 5, connectionOptions: { noDelay: true } });
  // Said once per outage, not once per reconnect attempt.
  let up: boolean | undefined;
  connection.on('connect', () => {
    up = true;
    log.info('connected to RabbitMQ');
  });
  const lost = (what: string) => ({ err }: { err?: Error }) => {
    if (up === false) return;
    up = false;
    log.warn({ reason: err?.message }, `${what}; retrying every second, events wait in the outbox meanwhile`);
  };
  connection.on('disconnect', lost('lost the connection to RabbitMQ'));
  connection.on('connectFailed', lost('RabbitMQ is unreachable'));
  const onError = (error: Error, channel: string) => log.warn({ channel, reason: error.message }, 'RabbitMQ channel setup failed');
  const onNotice = (message: string) => log.warn(message);
  return {
    bus: rabbitmqBus(connection, { prefix, retryDelays, publishTimeoutMs: 10_000, maxLength: queueMaxLength, onError, onNotice }),
    name: 'rabbitmq (amqplib)',
  };
}
