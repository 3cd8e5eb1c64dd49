import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { WEB_CSP, WEB_DIST } from '../runtime/web.js';
import { buildWeb } from '../scripts/build-web.js';
import { FIRST_PAGE_BUDGET, measureWeb } from '../scripts/web-size.js';
import { nginxBinary, rawRequest, startNginx } from './helpers/nginx.js';
import { startShop } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

/** The storefront over HTTP, from the runtime and from Nginx: pages, hashed assets, and what stays the API's. */
if (!existsSync(join(WEB_DIST, 'index.html'))) await buildWeb();
const script = readdirSync(join(WEB_DIST, 'assets')).find((name) => /^index-[\w-]+\.js$/.test(name))!;

t.test(`the first page loads under ${FIRST_PAGE_BUDGET / 1024} KB of JavaScript, compressed`, async (t) => {
  const size = measureWeb();
  t.ok(size.firstPageJs > 0 && size.firstPageJs < FIRST_PAGE_BUDGET, `${size.firstPageJs} bytes`);
  t.ok(size.allJs > size.firstPageJs, 'the back office is a chunk of its own, loaded on demand');
});

/** What both servers must answer alike. */
async function checkServes(t: Test, base: string, notPages: string[] = []) {
  for (const path of ['/', '/products/abc', '/admin/orders', '/reset-password?token=x']) {
    const page = await fetch(base + path);
    t.equal(page.status, 200, `${path}: the app`);
    t.match(page.headers.get('content-type'), /^text\/html/);
    t.equal(page.headers.get('content-security-policy'), WEB_CSP, `${path}: only what the app needs`);
    t.equal(page.headers.get('cache-control'), 'no-cache', 'index.html is never kept stale');
    t.match(await page.text(), /<div id="app">/);
  }
  const asset = await fetch(`${base}/assets/${script}`);
  t.equal(asset.status, 200, 'a hashed asset');
  t.match(asset.headers.get('content-type'), /^text\/javascript/);
  t.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const zipped = await rawRequest(base, { path: `/assets/${script}`, headers: { 'accept-encoding': 'gzip' } });
  t.equal(zipped.headers['content-encoding'], 'gzip', 'scripts are sent compressed');
  t.match(zipped.headers.vary, /accept-encoding/i, 'and caches keep both forms apart');
  for (const path of ['/assets/nope-123.js', '/favicon.ico', '/api/nope', '/api/users/me/', ...notPages]) {
    const answer = await fetch(base + path);
    t.equal(answer.status, 404, `${path}: not a page`);
    t.match(await answer.json(), { error: { code: 'NOT_FOUND' } }, `${path}: the API's JSON`);
  }
  const docs = await fetch(`${base}/api/openapi.json`);
  t.equal(docs.status, 200, 'the API reference is still there');
  const settings = await fetch(`${base}/api/payments/settings`);
  t.same(await settings.json(), { card: false, stripeJsUrl: 'https://js.stripe.com/v3/' }, 'no Stripe keys: no card, Stripe.js from Stripe');
}

t.test('the Content-Security-Policy allows exactly Stripe.js, its frames and its API, besides the app', async (t) => {
  t.match(WEB_CSP, /script-src 'self' https:\/\/js\.stripe\.com;/);
  t.match(WEB_CSP, /frame-src https:\/\/js\.stripe\.com;/);
  t.match(WEB_CSP, /connect-src 'self' https:\/\/api\.stripe\.com;/);
  const shop = await startShop(targets[0], { STRIPE_JS_URL: 'http://127.0.0.1:4011/v3/', STRIPE_API_URL: 'http://127.0.0.1:4010' });
  t.teardown(() => shop.close());
  const csp = (await fetch(`${shop.url}/`)).headers.get('content-security-policy')!;
  t.match(csp, /script-src 'self' http:\/\/127\.0\.0\.1:4011;.*connect-src 'self' http:\/\/127\.0\.0\.1:4010;.*frame-src http:\/\/127\.0\.0\.1:4011;/, 'the stand-ins instead, when aimed at');
  t.notMatch(csp, /stripe\.com/);
  const settings = await (await fetch(`${shop.url}/api/payments/settings`)).json();
  t.equal(settings.stripeJsUrl, 'http://127.0.0.1:4011/v3', 'the app loads the Stripe.js aimed at');
});

t.test('the runtime serves the storefront', async (t) => {
  const shop = await startShop(targets[0]);
  t.teardown(() => shop.close());
  await checkServes(t, shop.url);

  if (!nginxBinary) {
    t.comment('nginx is not installed (apt-get install -y nginx): the storefront through nginx is SKIPPED');
    return;
  }
  await t.test('and so does nginx, from the files', async (t) => {
    const { base } = await startNginx(t, new URL(shop.url).host);
    // The gateway's own paths, which the runtime answers, are nobody's at the edge.
    await checkServes(t, base, ['/system/functions', '/function/get-me', '/ui', '/metrics']);
    const posted = await fetch(`${base}/`, { method: 'POST' });
    t.equal(posted.status, 405, 'pages are GET only');
  });
});
