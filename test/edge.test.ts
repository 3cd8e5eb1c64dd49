/**
 * The shop as the public sees it: a real nginx with the generated config in front of the
 * runtime on PostgreSQL, Redis and RabbitMQ, used over HTTP as a client would.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { imageForm, jpeg } from './helpers/images.js';
import { nginxBinary, rawRequest, startNginx } from './helpers/nginx.js';
import { call, eventually, startShop, uniqueEmail } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

const target = targets.find((x) => x.name.includes('RabbitMQ'));
const ALLOWED_ORIGIN = 'https://shop.example.com';

if (!nginxBinary || !target) {
  const missing = [!nginxBinary && 'nginx (apt-get install -y nginx)', !target && 'DATABASE_URL=postgres://…, REDIS_URL and AMQP_URL'].filter(Boolean);
  t.comment(`!!! the edge suite is SKIPPED: it needs ${missing.join(' and ')} !!!`);
  t.pass('skipped');
} else {
  // The runtime gets the origins too, as under npm run start:nginx: the edge's answer must stay single.
  const corsOrigins = `${ALLOWED_ORIGIN},http://localhost:5173`;
  const shop = await startShop(target, { CORS_ORIGINS: corsOrigins });
  t.teardown(() => shop.close());
  const edge = await startNginx(t, new URL(shop.url).host, { corsOrigins });
  const via = (method: string, path: string, options?: Parameters<typeof call>[3]) => call(edge.base, method, path, options);
  const json = { 'content-type': 'application/json' };

  t.test('nginx -t passes on the generated config', async (t) => {
    const checked = spawnSync(nginxBinary!, ['-t', '-p', `${edge.dir}/`, '-c', join(edge.dir, 'nginx.conf')], { encoding: 'utf8' });
    t.equal(checked.status, 0, checked.stderr);
  });

  t.test('a customer registers, logs in, shops and the order is confirmed', async (t) => {
    const adminLogin = await via('POST', '/api/auth/login', { body: shop.admin });
    t.equal(adminLogin.status, 200, 'the admin logs in');
    const admin = adminLogin.body.accessToken as string;
    t.equal((await via('POST', '/api/categories', { token: admin, body: { name: 'Edge fruit' } })).status, 201);
    const description = 'Crisp and sweet, picked this week in the orchard on the hill. '.repeat(8);
    const created = await Promise.all(
      ['Edge apples', 'Edge pears', 'Edge plums'].map((name) =>
        via('POST', '/api/products', { token: admin, body: { name, description, category: 'edge-fruit', priceCents: 250, stock: 5, unit: 'kg' } }),
      ),
    );
    t.same(created.map((c) => c.status), [201, 201, 201], 'products created through nginx');
    const apples = created[0].body.product;

    const uploaded = await via('POST', `/api/products/${apples.id}/image`, { token: admin, form: imageForm({}, { bytes: jpeg() }) });
    t.equal(uploaded.status, 200, 'an image uploaded through nginx');
    const imageUrl = uploaded.body.product.imageUrl as string;
    const first = await fetch(edge.base + imageUrl);
    t.equal(first.status, 200, 'the image is served through nginx');
    t.equal(first.headers.get('content-type'), 'image/jpeg');
    t.equal(first.headers.get('x-content-type-options'), 'nosniff', 'X-Content-Type-Options once on /media/*');
    t.match(first.headers.get('x-call-id'), /^[0-9a-f]{32}$/, 'and one call id');
    t.same(Buffer.from(await first.arrayBuffer()), jpeg(), 'the same bytes');
    t.equal(first.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const second = await fetch(edge.base + imageUrl);
    await second.arrayBuffer();
    t.equal(second.headers.get('x-cache-status'), 'HIT', 'the second answer comes from the edge cache');

    const email = uniqueEmail('edge');
    const password = 'correct horse 1';
    t.equal((await via('POST', '/api/auth/register', { body: { email, password, name: 'Eda' } })).status, 201, 'registered');
    const login = await via('POST', '/api/auth/login', { body: { email, password } });
    t.equal(login.status, 200, 'logged in');
    const token = login.body.accessToken as string;

    const listed = await via('GET', '/api/products?category=edge-fruit&limit=20');
    t.equal(listed.status, 200);
    t.equal(listed.body.total, 3, 'the catalog lists the new products');
    const found = await via('GET', '/api/products?q=pears');
    t.same(found.body.items.map((p: { name: string }) => p.name), ['Edge pears'], 'search finds by name');
    const zipped = await rawRequest(edge.base, { path: '/api/products?category=edge-fruit', headers: { 'accept-encoding': 'gzip' } });
    t.equal(zipped.headers['content-encoding'], 'gzip', 'JSON is gzipped for clients that take it');

    t.equal((await via('POST', '/api/cart/items', { token, body: { productId: apples.id, quantity: 2 } })).status, 200, 'added to the cart');
    const address = { street: '1 Edge Road', city: 'Springfield', postalCode: '12345', country: 'US' };
    const placed = await via('POST', '/api/orders', { token, headers: { 'idempotency-key': `edge-${Date.now()}` }, body: { address } });
    t.equal(placed.status, 202, 'order placed');
    t.equal(placed.body.order.status, 'pending');
    const confirmed = await eventually(async () => {
      const order = await via('GET', `/api/orders/${placed.body.order.id}`, { token });
      return order.body.order?.status === 'confirmed' ? order.body.order : undefined;
    });
    t.ok(confirmed, 'the saga confirms the order (RabbitMQ, connector, functions)');
    t.equal(confirmed?.totalCents, 500);
  });

  t.test('a 7 MB upload gets a readable 413 in JSON', async (t) => {
    const answer = await rawRequest(edge.base, {
      method: 'POST',
      path: '/api/products/any-id/image',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      bodyBytes: 7 * 1024 * 1024,
      localAddress: '127.0.0.5',
    });
    t.equal(answer.status, 413);
    t.match(answer.json, { error: { code: 'PAYLOAD_TOO_LARGE', callId: answer.headers['x-call-id'] } });
  });

  t.test('a burst of logins gets 429 in JSON, whatever X-Forwarded-For says', async (t) => {
    const login = (localAddress: string, i: number, spoof: boolean) =>
      rawRequest(edge.base, {
        method: 'POST',
        path: '/api/auth/login',
        headers: { ...json, ...(spoof ? { 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `203.0.113.${i}` } : {}) },
        body: Buffer.from(JSON.stringify({ email: `nobody${i}@example.com`, password: 'wrong password 1' })),
        localAddress,
      });
    const plain = await Promise.all(Array.from({ length: 25 }, (_, i) => login('127.0.0.2', i, false)));
    const limited = plain.filter((a) => a.status === 429);
    t.ok(limited.length >= 10, `${limited.length} of 25 refused`);
    t.match(limited[0]?.json, { error: { code: 'RATE_LIMITED' } });
    t.ok(plain.some((a) => a.status === 401), 'the first few reach the function');

    // Each request claims another client: nginx counts the address it sees, not the header.
    const spoofed = await Promise.all(Array.from({ length: 25 }, (_, i) => login('127.0.0.3', i, true)));
    t.ok(spoofed.filter((a) => a.status === 429).length >= 10, 'a spoofed X-Forwarded-For does not escape the limit');
  });

  t.test('the OpenFaaS surface is not reachable from outside', async (t) => {
    const login = await shop.call('POST', '/api/auth/login', { body: shop.admin });
    const token = login.body.accessToken as string;
    for (const [method, path] of [
      ['GET', '/system/functions'],
      ['GET', '/function/get-me'],
      ['POST', '/async-function/register'],
      ['GET', '/ui/'],
      ['GET', '/metrics'],
    ] as const) {
      const answer = await via(method, path, { token });
      t.equal(answer.status, 404, `${method} ${path}`);
      t.match(answer.body, { error: { code: 'NOT_FOUND' } });
    }
    t.equal((await shop.call('GET', '/function/get-me', { token })).status, 200, 'while the gateway itself serves them');
  });

  t.test('CORS: preflights from allowed origins are answered, others are not granted', async (t) => {
    const preflight = (origin: string) =>
      rawRequest(edge.base, {
        method: 'OPTIONS',
        path: '/api/cart/items',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    t.equal(allowed.status, 204);
    t.equal(allowed.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
    t.equal(allowed.headers['access-control-allow-methods'], 'POST');
    t.match(allowed.headers['access-control-allow-headers'], /Authorization/);

    const other = await preflight('https://evil.example.net');
    t.equal(other.status, 403);
    t.equal(other.headers['access-control-allow-origin'], undefined, 'no origin granted');
    t.match(other.json, { error: { code: 'FORBIDDEN' } });

    const simple = await rawRequest(edge.base, { path: '/api/categories', headers: { origin: 'http://localhost:5173' } });
    t.equal(simple.headers['access-control-allow-origin'], 'http://localhost:5173', 'the second listed origin');
    t.equal(simple.headers['access-control-expose-headers'], 'X-Call-Id, Retry-After, Allow', 'once, the edge\'s');
    const foreign = await rawRequest(edge.base, { path: '/api/categories', headers: { origin: 'https://evil.example.net' } });
    t.equal(foreign.status, 200, 'a foreign origin still gets the answer (CORS binds browsers only)…');
    t.equal(foreign.headers['access-control-allow-origin'], undefined, '…but its page may not read it');
  });

  t.test('the API reference goes through the edge: the document and the page', async (t) => {
    const document = await via('GET', '/api/openapi.json');
    t.equal(document.status, 200);
    t.equal(document.body.openapi, '3.1.0');
    const page = await via('GET', '/api/docs');
    t.equal(page.status, 200);
    t.match(page.headers.get('content-type'), /text\/html/);
    t.match(page.headers.get('content-security-policy'), /script-src 'self'/, 'the page may run its own script');
    t.equal((await via('GET', '/api/docs/js/scalar.js')).status, 200);
    t.equal((await via('POST', '/api/openapi.json', { reference: false })).status, 405);
  });

  t.test('security headers and the call id on every answer', async (t) => {
    for (const path of ['/api/categories', '/api/nope']) {
      const answer = await rawRequest(edge.base, { path, headers: { 'x-call-id': 'edge-call-1' } });
      t.equal(answer.headers['x-content-type-options'], 'nosniff', path);
      t.equal(answer.headers['referrer-policy'], 'no-referrer', path);
      t.match(answer.headers['content-security-policy'], /frame-ancestors 'none'/, path);
      t.equal(answer.headers['x-call-id'], 'edge-call-1', `${path}: the given call id, once`);
    }
    const made = await rawRequest(edge.base, { path: '/api/categories' });
    t.match(made.headers['x-call-id'], /^[0-9a-f]{32}$/, 'made when missing');
  });

  t.test('nginx logged no config trouble', async (t) => {
    t.notMatch(edge.errorLog(), /uninitialized variable|\[emerg\]|\[alert\]/);
  });
}
