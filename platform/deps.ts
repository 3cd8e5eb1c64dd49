import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { argon2Passwords } from '#adapters/argon2-passwords.js';
import { isCommonPassword } from '#adapters/common-passwords.js';
import { inspectImage } from '#adapters/image-size-inspector.js';
import { joseTokens } from '#adapters/jose-tokens.js';
import { eventFactory } from '#domain/events.js';
import type { CallMeta, Clock, IdGenerator, KeyValueStore } from '#domain/ports.js';
import type { Store } from '#domain/store.js';
import { createAccounts, type Accounts } from '#domain/users/accounts.js';
import { createAttempts } from '#domain/users/attempts.js';
import { createSessions, type Sessions } from '#domain/users/sessions.js';
import { createCatalog, type Catalog } from '#domain/catalog/catalog.js';
import { versionedCache } from '#domain/versioned-cache.js';
import { createStock, type Stock } from '#domain/catalog/stock.js';
import { createCart, type Cart } from '#domain/cart/cart.js';
import { createOrders, type Orders } from '#domain/orders/orders.js';
import { createPruning, type Pruning } from '#domain/retention.js';
import type { Config } from './config.js';
import { openImages, openKv, openStore } from './connections.js';
import { configuredAdmin } from './first-admin.js';
import { loadSigningKeys } from './keys.js';
import { retainedRecords } from './retention.js';

export interface Deps {
  config: Config;
  kv: KeyValueStore;
  store: Store;
  accounts: Accounts;
  sessions: Sessions;
  catalog: Catalog;
  cart: Cart;
  orders: Orders;
  stock: Stock;
  /** Removes what is past its retention (the daily `prune` schedule); the list is platform/retention.ts. */
  pruning: Pruning;
  /**
   * Removes what the shop keeps about a deleted user outside the users store (forget-user,
   * on user.deleted). Everything kept per user belongs in here: sessions, cart and wishlist.
   * Orders not yet shipped are cancelled (their stock goes back); the others stay for the
   * books, without the customer's personal data.
   */
  forgetUser(userId: string, meta?: CallMeta): Promise<void>;
  /** What was picked, for the start-up log: `{ database: 'pglite (embedded, …)', … }`. */
  adapters: Record<string, string>;
  /** Runs a handler's work so that close() waits for it, even when its client has gone. */
  track<T>(work: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * 24 hex characters laid out like a MongoDB ObjectId: seconds, a random process part and a
 * counter, so ids made by one process are strictly increasing and sort like creation time.
 */
const processPart = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);
export const newId: IdGenerator = () => {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return seconds + processPart + counter.toString(16).padStart(6, '0');
};

export const systemClock: Clock = { now: () => new Date() };

/**
 * Builds every dependency once per process from configuration; handlers reuse them
 * across invocations, and `close()` ends the connections (on SIGTERM).
 */
export async function buildDeps(config: Config, log: FastifyBaseLogger): Promise<Deps> {
  // The slow steps of a start say so before they begin, so a silent minute never looks like a hang.
  log.info(
    config.databaseUrl
      ? 'connecting to the database'
      : `initialising the embedded database in ${config.dataDir} (PGlite: the first start takes a few seconds)`,
  );
  const [{ store, name: database }, { kv, cacheKv, carts, wishlists, name: keyValue }, { images, name: imageStore }] = await Promise.all([
    openStore(config, log),
    openKv(config),
    openImages(config),
  ]);
  const keys = loadSigningKeys(config);
  const attempts = createAttempts(kv, config.attempts);
  const shared = { users: store.users, passwords: argon2Passwords(), clock: systemClock, ids: newId, attempts };
  const sessions = createSessions({ ...shared, kv, signer: await joseTokens(keys), limits: config.sessions });
  const event = eventFactory(newId, systemClock);
  const accounts = createAccounts({
    ...shared,
    event,
    cache: cacheKv,
    revokeAccess: sessions.revokeAccess,
    endSessions: sessions.endSessions,
    isCommonPassword,
  });
  const catalog = createCatalog({
    products: store.products,
    categories: store.categories,
    images,
    inspectImage,
    cache: versionedCache(cacheKv, config.catalogCacheTtl, { maxEntries: config.catalogCacheMaxEntries }),
    clock: systemClock,
    ids: newId,
    event,
    currency: config.shopCurrency,
  });
  const cart = createCart({ carts, wishlists, products: catalog.productInfo, currency: config.shopCurrency });
  const orders = createOrders({
    orders: store.orders,
    cartLines: carts.lines,
    noteOrdered: carts.noteOrder,
    products: catalog.productInfo,
    addressOf: accounts.address,
    currency: config.shopCurrency,
    limits: config.orderLimits,
    clock: systemClock,
    ids: newId,
    event,
    stockDecision: store.reservations.find,
  });
  const stock = createStock({ stock: store.stock, reservations: store.reservations, event, moved: catalog.stockMoved });

  const closeStores = () => Promise.allSettled([store.close(), kv.close(), ...(cacheKv === kv ? [] : [cacheKv.close()])]);

  // A refused admin password stops start-up: what is open so far must not keep the process alive.
  await configuredAdmin(accounts, config, log).catch(async (error: unknown) => {
    await closeStores();
    throw error;
  });

  // A client that hangs up does not stop its handler: shutdown waits for those too (10 s at most).
  const running = new Set<Promise<unknown>>();
  const settled = () => Promise.allSettled([...running]);

  return {
    config,
    kv,
    store,
    accounts,
    sessions,
    catalog,
    cart,
    orders,
    stock,
    pruning: createPruning({ retained: retainedRecords({ config, store, kv }), clock: systemClock }),
    async forgetUser(userId, meta = {}) {
      await Promise.all([sessions.endSessions(userId), cart.forget(userId), orders.forgetCustomer(userId, meta)]);
    },
    adapters: { database, keyValue, images: imageStore, tokenKey: keys.source },
    // On every request: one await, no promise chained on the side.
    async track(work) {
      running.add(work);
      try {
        return await work;
      } finally {
        running.delete(work);
      }
    },
    async close() {
      await Promise.race([settled(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      await closeStores();
    },
  };
}
