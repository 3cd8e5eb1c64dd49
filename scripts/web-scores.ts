/**
 * `npm run web:scores`: Lighthouse on the storefront's main pages (simulated mobile, its default),
 * on the runtime with embedded defaults and the demo catalog. Prints a table of the scores and
 * key metrics and writes each full report to `.tap/artifacts/lighthouse/`. It builds nothing:
 * run `npm run build:web` first. test/storefront-scores.test.ts runs the same pages.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lighthouse, { type Result } from 'lighthouse';
import { chromium } from 'playwright-core';
import { loadConfig } from '#platform/config.js';
import { loadDemoCatalog } from '../runtime/demo-catalog.js';
import { createGateway } from '../runtime/gateway.js';
import { loadStack } from '../runtime/stack.js';
import { WEB_DIST } from '../runtime/web.js';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export const REPORTS = '.tap/artifacts/lighthouse';
/** Debian's Chromium, as the browser tests use it (test/helpers/browser.ts). */
const CHROMIUM = '/usr/bin/chromium';
const ADMIN = { email: 'admin@shop.local', password: 'lighthouse admin password' };

/** Who looks at a page: nobody signed in, a customer with an address and an item in the cart, or the admin. */
type Who = 'guest' | 'customer' | 'admin';
interface Setup {
  productId: string;
  sessions: Record<Exclude<Who, 'guest'>, Session>;
}
interface Session {
  tokens: { accessToken: string; refreshToken: string };
  user: unknown;
}

/** The main pages, guests first (their runs must not find a session in localStorage). */
export const PAGES: { name: string; who: Who; path: (setup: Setup) => string }[] = [
  { name: 'catalog', who: 'guest', path: () => '/' },
  { name: 'product', who: 'guest', path: (setup) => `/products/${setup.productId}` },
  { name: 'login', who: 'guest', path: () => '/login' },
  { name: 'cart', who: 'customer', path: () => '/cart' },
  { name: 'checkout', who: 'customer', path: () => '/checkout' },
  { name: 'admin orders', who: 'admin', path: () => '/admin/orders' },
];

/** The runtime as `npm start` runs it on a fresh data directory: embedded defaults, demo catalog loaded. */
export async function startDemoShop() {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-scores-'));
  // Service URLs emptied: the same shop whatever the shell exports (the demo catalog is for embedded defaults only).
  const embedded = { DATABASE_URL: '', REDIS_URL: '', AMQP_URL: '', MONGO_URL: '', DEMO_CATALOG: 'true' };
  const env = { ...process.env, ...embedded, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SHOP_TIMEZONE: 'UTC' };
  const config = loadConfig(env);
  const gateway = await createGateway({ stack: loadStack(config.stackFile), config, env });
  if (gateway.deps) await loadDemoCatalog(gateway.deps, gateway.app.log);
  const url = await gateway.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    async close() {
      await gateway.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface CallOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** One API call that must succeed: its JSON answer, typed as the caller expects it. */
async function call<T>(base: string, method: string, path: string, { body, token, headers = {} }: CallOptions = {}): Promise<T> {
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = (await response.json().catch(() => null)) as T;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function logIn(base: string, credentials: { email: string; password: string }): Promise<Session> {
  const { accessToken, refreshToken, user } = await call<Session['tokens'] & { user: unknown }>(base, 'POST', '/api/auth/login', { body: credentials });
  return { tokens: { accessToken, refreshToken }, user };
}

/**
 * What the pages behind a login show when they have something to show: a customer with an address
 * in a delivery zone that has slots, an order placed (for the back office's list) and a product in
 * the cart again.
 */
export async function prepare(base: string): Promise<Setup> {
  const products = await call<{ items: { id: string; stock: number; unit: string }[] }>(base, 'GET', '/api/products?limit=10');
  const product = products.items.find((p) => p.stock > 2 && p.unit !== 'kg');
  if (!product) throw new Error('the demo catalog has no product sold by the piece in stock');
  const admin = await logIn(base, ADMIN);
  const postalCode = '10001';
  const asAdmin = { token: admin.tokens.accessToken };
  const zone = await call<{ zone: { id: string } }>(base, 'POST', '/api/admin/delivery-zones', { ...asAdmin, body: { name: 'Town', postcodes: [postalCode], feeCents: 300, minimumOrderCents: 0 } });
  const timetable = Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, start: '11:00', end: '15:00', capacity: 20 }));
  await call(base, 'PUT', `/api/admin/delivery-zones/${zone.zone.id}/timetable`, { ...asAdmin, body: { slots: timetable } });

  const customer = { email: `ann.${Date.now().toString(36)}@example.com`, password: 'correct horse battery 1' };
  await call(base, 'POST', '/api/auth/register', { body: { ...customer, name: 'Ann Lighthouse' } });
  const session = await logIn(base, customer);
  const asCustomer = { token: session.tokens.accessToken };
  const address = { street: '1 Main St', city: 'Springfield', postalCode, country: 'US' };
  const { user } = await call<{ user: { addresses: { id: string }[] } }>(base, 'POST', '/api/users/me/addresses', { ...asCustomer, body: address });
  session.user = user;
  const slots = await call<{ items: { id: string; status: string }[] }>(base, 'GET', `/api/delivery/slots?postalCode=${postalCode}&days=7`);
  const slotId = slots.items.find((slot) => slot.status === 'open')?.id;
  await call(base, 'POST', '/api/cart/items', { ...asCustomer, body: { productId: product.id, quantity: 1 } });
  const order = { addressId: user.addresses[0].id, slotId, paymentMethod: 'cash_on_delivery' };
  await call(base, 'POST', '/api/orders', { ...asCustomer, body: order, headers: { 'idempotency-key': `lighthouse-${Date.now()}` } });
  await call(base, 'POST', '/api/cart/items', { ...asCustomer, body: { productId: product.id, quantity: 2 } });
  return { productId: product.id, sessions: { customer: session, admin } };
}

/** The port Chromium chose, from the file it writes into its profile once it listens. */
async function devToolsPort(profile: string) {
  const file = join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 600 && !existsSync(file); i++) await sleep(100);
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

/**
 * Lighthouse on every page, in one Chromium whose profile keeps localStorage between runs (the
 * signed-in pages read their session there; `disableStorageReset` keeps it). The HTTP cache is
 * emptied before each run instead, so every page is measured as a first visit.
 */
export async function scorePages(base: string, setup: Setup, onReport?: (name: string, lhr: Result) => void) {
  const profile = mkdtempSync(join(tmpdir(), 'shop-lighthouse-'));
  // Port 0: Chromium picks a free port and writes it into the profile (no race for a port).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--remote-debugging-port=0', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results: { name: string; lhr: Result }[] = [];
  try {
    const port = await devToolsPort(profile);
    // A page of the shop's origin, to set the session in its localStorage and empty the cache.
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await page.goto(`${base}/healthz`);
    for (const { name, who, path } of PAGES) {
      const session = who === 'guest' ? null : setup.sessions[who];
      await page.evaluate((s) => {
        localStorage.clear();
        if (s) {
          localStorage.setItem('shop.tokens', JSON.stringify(s.tokens));
          localStorage.setItem('shop.user', JSON.stringify(s.user));
        }
      }, session);
      await cdp.send('Network.clearBrowserCache');
      const run = await lighthouse(base + path(setup), { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], disableStorageReset: true });
      if (!run) throw new Error(`Lighthouse gave no result for ${name}`);
      if (run.lhr.runtimeError) throw new Error(`Lighthouse on ${name}: ${run.lhr.runtimeError.message}`);
      results.push({ name, lhr: run.lhr });
      onReport?.(name, run.lhr);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return results;
}

const score = (lhr: Result, category: string) => Math.round((lhr.categories[category]?.score ?? 0) * 100);
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift'];

/** A markdown table: a row per page, the three scores (0–100) and FCP, LCP, TBT, CLS. */
export function scoreTable(results: { name: string; lhr: Result }[]) {
  const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [
    row(['page', 'performance', 'accessibility', 'best practices', 'FCP', 'LCP', 'TBT', 'CLS']),
    row(Array<string>(8).fill('---')),
    ...results.map(({ name, lhr }) => row([name, ...CATEGORIES.map((c) => score(lhr, c)), ...METRICS.map((id) => lhr.audits[id]?.displayValue ?? '–')])),
  ];
}

if (import.meta.main) {
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
  if (!existsSync(CHROMIUM)) throw new Error(`Lighthouse needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const shop = await startDemoShop();
  try {
    mkdirSync(REPORTS, { recursive: true });
    const results = await scorePages(shop.url, await prepare(shop.url), (name, lhr) => {
      writeFileSync(join(REPORTS, `${name.replace(/\W+/g, '-')}.json`), JSON.stringify(lhr, null, 1));
      console.error(`scored ${name}`);
    });
    console.log(scoreTable(results).join('\n'));
    console.log(`\nFull reports: ${REPORTS}/*.json (open one in https://googlechrome.github.io/lighthouse/viewer/)`);
  } finally {
    await shop.close();
  }
}
