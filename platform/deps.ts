import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { isCommonPassword } from '#adapters/common-passwords.js';
import { inspectImage } from '#adapters/image-size-inspector.js';
import { eventFactory } from '#domain/events.js';
import type { CardPayments } from '#domain/payments/provider.js';
import type { CallMeta, Clock, IdGenerator, KeyValueStore, PasswordHasher, TokenSigner } from '#domain/ports.js';
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
import { createDelivery, type Delivery } from '#domain/delivery/delivery.js';
import { createCartReminders, type CartReminders } from '#domain/cart/reminders.js';
import { createMailing } from '#domain/mail/mailing.js';
import { createNotifications, type Notifications } from '#domain/mail/notifications.js';
import { createRecovery, type Recovery } from '#domain/users/recovery.js';
import { mailLinkBase, mailSender, type Config } from './config.js';
import { imagesName, openImages, openKv, openMailer, openPayments, openStore, paymentsName } from './connections.js';
import { configuredAdmin } from './first-admin.js';
import { loadSigningKeys } from './keys.js';
import { lazyPort, once } from './lazy.js';
import { retainedRecords } from './retention.js';

/**
 * The shop's services for the functions. Each one is built on its first use (a getter), and each
 * adapter behind it opened on its first call (platform/lazy.ts): a function's process builds and
 * loads what its handler uses and nothing else (get-product never loads the password hasher, the
 * token library or the cart store). The runtime mounts every function on one Deps, so they share one set.
 */
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
  delivery: Delivery;
  /** Card payments at Stripe (adapters/stripe-payments.ts); null without STRIPE_SECRET_KEY: cash on delivery only. */
  cardPayments: CardPayments | null;
  /** Password reset and email verification. */
  recovery: Recovery;
  /** The mails, one per event (the send-* functions). */
  notifications: Notifications;
  cartReminders: CartReminders;
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
 * Opens the connections every function needs (the database and the key-value store) once per
 * process, and wires the services on them lazily; handlers reuse them across invocations, and
 * `close()` ends the connections (on SIGTERM).
 */
export async function buildDeps(config: Config, log: FastifyBaseLogger): Promise<Deps> {
  // The slow steps of a start say so before they begin, so a silent minute never looks like a hang.
  // A new PGlite directory takes seconds; opening one that exists does not, so only a first start says so.
  const pglite = join(config.dataDir, 'pglite');
  log.info(
    config.databaseUrl
      ? 'connecting to the database'
      : existsSync(join(pglite, 'PG_VERSION'))
        ? `opening the embedded database in ${pglite}`
        : `initialising the embedded database in ${pglite} (PGlite: a first start takes a few seconds)`,
  );
  const [{ store, name: database }, { kv, cacheKv, openCarts, name: keyValue }] = await Promise.all([openStore(config, log), openKv(config)]);
  // Read now, so a bad key stops the start; the token library loads with the first token.
  const keys = loadSigningKeys(config);
  // nodemailer (or the mail folder) loads with the first mail.
  const { mailer, name: mail } = openMailer(config, log);
  const passwords = lazyPort<PasswordHasher>(async () => (await import('#adapters/argon2-passwords.js')).argon2Passwords());
  const signer = lazyPort<TokenSigner>(async () => (await import('#adapters/jose-tokens.js')).joseTokens(keys));
  const images = lazyPort(async () => (await openImages(config)).images);
  // Stripe's SDK loads with the first card payment; without a key the shop takes cash only.
  const cardPayments = config.payment.stripeSecretKey ? lazyPort<CardPayments>(async () => (await openPayments(config))!) : null;
  const cartStores = once(openCarts);
  const carts = lazyPort(async () => (await cartStores()).carts);
  const wishlists = lazyPort(async () => (await cartStores()).wishlists);

  const event = once(() => eventFactory(newId, systemClock));
  const shared = once(() => ({
    users: store.users,
    passwords,
    clock: systemClock,
    ids: newId,
    attempts: createAttempts(kv, config.attempts),
  }));
  const sessions = once(() => createSessions({ ...shared(), kv, signer, limits: config.sessions }));
  const accounts = once(() =>
    createAccounts({
      ...shared(),
      event: event(),
      cache: cacheKv,
      revokeAccess: sessions().revokeAccess,
      endSessions: sessions().endSessions,
      isCommonPassword,
    }),
  );
  const catalog = once(() =>
    createCatalog({
      products: store.products,
      categories: store.categories,
      images,
      inspectImage,
      cache: versionedCache(cacheKv, config.catalogCacheTtl, { maxEntries: config.catalogCacheMaxEntries }),
      clock: systemClock,
      ids: newId,
      event: event(),
      currency: config.shopCurrency,
    }),
  );
  const delivery = once(() => createDelivery({ zones: store.zones, slots: store.slots, settings: config.delivery, clock: systemClock, ids: newId, cardsOffered: cardPayments !== null }));
  const cart = once(() => createCart({ carts, wishlists, products: catalog().productInfo, currency: config.shopCurrency, taxRates: config.tax.rates }));
  const orders = once(() =>
    createOrders({
      orders: store.orders,
      cartLines: carts.lines,
      noteOrdered: carts.noteOrder,
      products: catalog().productInfo,
      addressOf: accounts().address,
      deliveryTerms: delivery().terms,
      currency: config.shopCurrency,
      tax: config.tax,
      cards: cardPayments,
      cardsOffered: cardPayments !== null,
      limits: config.orderLimits,
      weightTolerancePercent: config.weightTolerancePercent,
      stockMoved: (ids) => catalog().stockMoved(ids),
      clock: systemClock,
      ids: newId,
      event: event(),
      stockDecision: store.reservations.find,
      stockRejection: store.reservations.rejection,
    }),
  );
  const stock = once(() => createStock({ stock: store.stock, slots: delivery(), reservations: store.reservations, event: event(), moved: catalog().stockMoved }));
  const recovery = once(() =>
    createRecovery({
      ...shared(),
      tokens: store.tokens,
      outbox: store.outbox,
      event: event(),
      isCommonPassword,
      endSessions: (userId) => sessions().endSessions(userId),
      changed: accounts().profileChanged,
    }),
  );
  const notifications = once(() =>
    createNotifications({
      users: store.users,
      orders: store.orders,
      tokens: store.tokens,
      mailing: createMailing({ kv, mailer, messageIdDomain: /@([^>\s]+)/.exec(mailSender(config))?.[1] ?? 'shop.local', now: () => systemClock.now() }),
      clock: systemClock,
      context: { shopName: config.mail.shopName, currency: config.shopCurrency },
      link: (path, query) => `${mailLinkBase(config)}${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`,
    }),
  );
  const cartReminders = once(() =>
    createCartReminders({ carts, products: catalog().productInfo, users: store.users, outbox: store.outbox, kv, event: event(), clock: systemClock }),
  );
  const pruning = once(() => createPruning({ retained: retainedRecords({ config, store, kv }), clock: systemClock }));

  const closeStores = () => Promise.allSettled([store.close(), kv.close(), mailer.close(), ...(cacheKv === kv ? [] : [cacheKv.close()])]);

  // A refused admin password stops start-up: what is open so far must not keep the process alive.
  await configuredAdmin(accounts(), config, log).catch(async (error: unknown) => {
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
    get accounts() {
      return accounts();
    },
    get sessions() {
      return sessions();
    },
    get catalog() {
      return catalog();
    },
    get cart() {
      return cart();
    },
    get orders() {
      return orders();
    },
    get stock() {
      return stock();
    },
    get pruning() {
      return pruning();
    },
    get delivery() {
      return delivery();
    },
    cardPayments,
    get recovery() {
      return recovery();
    },
    get notifications() {
      return notifications();
    },
    get cartReminders() {
      return cartReminders();
    },
    async forgetUser(userId, meta = {}) {
      await Promise.all([sessions().endSessions(userId), cart().forget(userId), orders().forgetCustomer(userId, meta)]);
    },
    adapters: { database, keyValue, images: imagesName(config), mail, payments: paymentsName(config), tokenKey: keys.source },
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
