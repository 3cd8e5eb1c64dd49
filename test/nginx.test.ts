import { createServer as createHttpServer } from 'node:http';
import t from 'tap';
import { imageForm, jpeg } from './helpers/images.js';
import { freePort, nginxBinary as nginx, rawRequest, startNginx } from './helpers/nginx.js';
import { rawHttp } from './helpers/raw-http.js';
import { adminToken, call, eventually, newCustomer, startShop } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

if (!nginx) {
  t.comment('!!! nginx not installed: apt-get install -y nginx — the HTTP checks through nginx are SKIPPED !!!');
  t.test('nginx in front of the runtime', { skip: 'nginx not installed: apt-get install -y nginx' }, async () => undefined);
} else {
  t.test(`nginx (${nginx}) in front of an echo server: what the gateway receives`, async (t) => {
    const seen: { url: string; headers: Record<string, unknown> }[] = [];
    const echo = createHttpServer((request, response) => {
      seen.push({ url: request.url!, headers: request.headers });
      // The function's own call id must not reach the client next to nginx's.
      response.writeHead(200, { 'content-type': 'application/json', 'x-call-id': 'from-upstream' }).end('{}');
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const { base } = await startNginx(t, `127.0.0.1:${(echo.address() as { port: number }).port}`);

    for (const [method, path, expected] of [
      ['GET', '/api/users/abc?x=1&y=two', '/function/get-user/abc?x=1&y=two'],
      ['PATCH', '/api/users/a%20b', '/function/update-user/a%20b'],
      ['GET', '/api/users/%C3%A9t%C3%A9', '/function/get-user/%C3%A9t%C3%A9'],
      ['DELETE', '/api/users/me/addresses/x1', '/function/remove-address/x1'],
      ['DELETE', '/api/users/me', '/function/delete-me'],
      ['POST', '/api/auth/login?next=1', '/function/login?next=1'],
    ] as const) {
      const answer = await call(base, method, path, { headers: { 'x-forwarded-for': '6.6.6.6', 'x-call-id': 'echo-1' }, reference: false });
      t.equal(answer.status, 200, `${method} ${path}`);
      t.equal(answer.headers.get('x-call-id'), 'echo-1', 'one X-Call-Id, the one given');
      t.equal(seen.at(-1)?.url, expected, `${method} ${path} -> ${expected}`);
    }
    t.match(seen.at(-1)!.headers, {
      'x-call-id': 'echo-1',
      'x-forwarded-for': '127.0.0.1',
      'x-real-ip': '127.0.0.1',
      'x-forwarded-proto': 'http',
    }, 'forwarding headers; the client\'s own X-Forwarded-For is dropped');
  });

  t.test('behind a trusted proxy (TRUSTED_PROXIES), its X-Forwarded-For names the client', async (t) => {
    const seen: string[] = [];
    const echo = createHttpServer((request, response) => {
      seen.push(String(request.headers['x-forwarded-for']));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const { base } = await startNginx(t, `127.0.0.1:${(echo.address() as { port: number }).port}`, { trustedProxies: '127.0.0.2' });
    const headers = { 'x-forwarded-for': '198.51.100.7' };
    await rawRequest(base, { path: '/api/products', headers, localAddress: '127.0.0.2' });
    await rawRequest(base, { path: '/api/products', headers, localAddress: '127.0.0.1' });
    t.same(seen, ['198.51.100.7', '127.0.0.1'], 'the trusted proxy names the client; anyone else is the client');
  });

  t.test('CORS_ORIGINS=* lets any origin read the answers, as on the runtime', async (t) => {
    const echo = createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const { base } = await startNginx(t, `127.0.0.1:${(echo.address() as { port: number }).port}`, { corsOrigins: '*' });
    const origin = 'https://anywhere.example.org';
    const simple = await rawRequest(base, { path: '/api/products', headers: { origin } });
    t.equal(simple.headers['access-control-allow-origin'], origin);
    const preflight = await rawRequest(base, { method: 'OPTIONS', path: '/api/products', headers: { origin, 'access-control-request-method': 'GET' } });
    t.equal(preflight.status, 204);
    t.equal((await rawRequest(base, { path: '/api/products' })).headers['access-control-allow-origin'], undefined, 'no Origin, no CORS');
  });

  t.test("nginx's own refusals answer the error shape with the call id, never HTML", async (t) => {
    const seen: string[] = [];
    const echo = createHttpServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const { base, errorLog } = await startNginx(t, `127.0.0.1:${(echo.address() as { port: number }).port}`);
    const send = (head: string, body = '') => rawHttp(base, `${head}\r\nHost: shop\r\nX-Call-Id: edge-raw-1\r\nConnection: close\r\n\r\n${body}`);
    const expectError = (answer: Awaited<ReturnType<typeof rawHttp>>, status: number, code: string, what: string) => {
      t.equal(answer.status, status, what);
      t.match(answer.headers['content-type'], /^application\/json/, `${what}: JSON`);
      t.match(answer.body, { error: { code, message: /./, callId: answer.headers['x-call-id'] } }, `${what}: the error shape with the call id`);
      t.match(answer.headers['x-call-id'], /^(edge-raw-1|[0-9a-f]{32})$/, `${what}: X-Call-Id`);
    };

    for (const [path, allow] of [['/api/users/me', 'GET, PATCH, DELETE'], ['/api/products/abc?x=1', 'GET, PATCH, DELETE'], ['/api/orders', 'GET, POST'], ['/api/orders/o1/cancel', 'POST']]) {
      const trace = await send(`TRACE ${path} HTTP/1.1`);
      expectError(trace, 405, 'METHOD_NOT_ALLOWED', `TRACE ${path}`);
      t.equal(trace.headers.allow, allow, `TRACE ${path}: Allow`);
    }
    expectError(await send('TRACE /system/functions HTTP/1.1'), 404, 'NOT_FOUND', 'TRACE where no route is: 404, as any other method');

    const chunk = '5\r\nhello\r\n0\r\n\r\n';
    expectError(await send('POST /api/auth/login HTTP/1.1\r\nTransfer-Encoding: gzip', chunk), 501, 'NOT_IMPLEMENTED', 'an unknown Transfer-Encoding');
    expectError(await send('POST /api/auth/login HTTP/1.1\r\nTransfer-Encoding: gzip, chunked', chunk), 501, 'NOT_IMPLEMENTED', 'a list of Transfer-Encodings');
    expectError(await send('POST /api/auth/login HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5', chunk), 400, 'BAD_REQUEST', 'both Content-Length and Transfer-Encoding');
    expectError(await send('POST /api/auth/login HTTP/1.0\r\nTransfer-Encoding: chunked', chunk), 400, 'BAD_REQUEST', 'HTTP/1.0 with Transfer-Encoding');
    expectError(await send('GET /api/products HTTP/2.0'), 505, 'HTTP_VERSION_NOT_SUPPORTED', 'an HTTP version nginx does not speak');
    expectError(await send(`GET /api/products?q=${'x'.repeat(20 * 1024)} HTTP/1.1`), 414, 'BAD_REQUEST', 'a URI over 16 KiB');
    expectError(await send('GET /api/products HTTP/1.1\r\nX-Padding: ' + 'x'.repeat(20 * 1024)), 431, 'HEADERS_TOO_LARGE', 'a header over 16 KiB');
    expectError(await send('GARBAGE'), 400, 'BAD_REQUEST', 'no request line');
    t.same(seen, [], 'none of them reached the gateway');
    t.notMatch(errorLog(), /uninitialized variable|\[emerg\]|\[alert\]/);
  });

  t.test('with the gateway down, /healthz and the API answer 502 JSON', async (t) => {
    const { base } = await startNginx(t, `127.0.0.1:${await freePort()}`);
    for (const path of ['/healthz', '/api/products']) {
      const answer = await call(base, 'GET', path);
      t.equal(answer.status, 502, path);
      t.match(answer.body, { error: { code: 'UNAVAILABLE', callId: answer.headers.get('x-call-id') } }, `${path}: JSON with the call id`);
    }
  });

  t.test(`nginx (${nginx}) in front of the runtime`, async (t) => {
    const shop = await startShop(targets[0]);
    t.teardown(() => shop.close());
    const { base, accessLog, errorLog } = await startNginx(t, new URL(shop.url).host);
    const via = (method: string, path: string, options?: Parameters<typeof call>[3]) => call(base, method, path, options);
    t.test('healthz through nginx is the gateway\'s', async (t) => {
      const health = await via('GET', '/healthz');
      t.equal(health.status, 200);
      t.equal(health.text, 'OK');
    });

    t.test('auth and me through nginx answer as the runtime does', async (t) => {
      const email = `nginx.${Date.now()}@example.com`;
      const password = 'correct horse 1';
      const registered = await via('POST', '/api/auth/register', { body: { email, password, name: 'Nia' } });
      t.equal(registered.status, 201);
      const login = await via('POST', '/api/auth/login', { body: { email, password } });
      t.equal(login.status, 200);
      const token = login.body.accessToken;
      const me = await via('GET', '/api/users/me', { token });
      t.equal(me.status, 200);
      t.match(me.headers.get('content-type'), /^application\/json/);
      t.same(me.body, (await shop.call('GET', '/api/users/me', { token })).body, 'same body as direct');
      const patched = await via('PATCH', '/api/users/me', { token, body: { name: 'Nia B' } });
      t.equal(patched.status, 200);
      t.equal(patched.body.user.name, 'Nia B');
    });

    t.test('params reach the function by position; static paths win', async (t) => {
      const ann = await newCustomer(shop);
      const added = await via('POST', '/api/users/me/addresses', {
        token: ann.accessToken,
        body: { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
      });
      t.equal(added.status, 201, 'address added');
      const addressId = added.body.user.addresses[0].id;
      const removed = await via('DELETE', `/api/users/me/addresses/${addressId}`, { token: ann.accessToken });
      t.equal(removed.status, 200, 'address removed');
      t.same(removed.body.user.addresses, []);

      const admin = await adminToken(shop);
      const user = await via('GET', `/api/users/${ann.id}`, { token: admin });
      t.equal(user.status, 200);
      t.equal(user.body.user.id, ann.id);
      t.equal((await via('GET', '/api/users/me', { token: admin })).body.user.email, shop.admin.email, '/api/users/me is get-me');
      const missing = await via('GET', '/api/users/no-such-user', { token: admin });
      t.equal(missing.status, 404, 'the function says 404 for an unknown id');
      t.equal(missing.body.error.code, 'NOT_FOUND');
      t.equal((await via('GET', '/api/users/a%2Fb', { token: admin })).status, 404, 'an encoded slash is not a param');

      const forbidden = await via('GET', `/api/users/${ann.id}`, { token: ann.accessToken });
      t.equal(forbidden.status, 403, 'admin route as a customer');
      t.equal(forbidden.body.error.code, 'FORBIDDEN');

      const page = await via('GET', '/api/users?limit=1', { token: admin });
      t.equal(page.status, 200);
      t.equal(page.body.limit, 1, 'the query string reaches the function');
      t.equal(page.body.items.length, 1);
    });

    t.test('catalog through nginx: a multipart upload and the local image it stores', async (t) => {
      const admin = await adminToken(shop);
      t.equal((await via('POST', '/api/categories', { token: admin, body: { name: 'Fruit' } })).status, 201);
      const form = imageForm({ name: 'Gala apples', category: 'fruit', priceCents: 299, unit: 'kg' }, { bytes: jpeg() });
      const created = await via('POST', '/api/products', { token: admin, form });
      t.equal(created.status, 201);
      const image = await fetch(base + created.body.product.imageUrl);
      t.equal(image.status, 200);
      t.equal(image.headers.get('content-type'), 'image/jpeg');
      t.equal((await via('GET', `/api/products/${created.body.product.id}`)).body.product.name, 'Gala apples');
      t.equal((await via('GET', '/api/products?q=gala')).body.total, 1);
      t.equal((await fetch(base + '/media/../stack.yml')).status, 404);
    });

    t.test('wrong methods are 405 with Allow', async (t) => {
      const put = await via('PUT', '/api/users/me', { body: {} });
      t.equal(put.status, 405);
      t.equal(put.body.error.code, 'METHOD_NOT_ALLOWED');
      t.equal(put.headers.get('allow'), 'GET, PATCH, DELETE');
      const get = await via('GET', '/api/auth/login');
      t.equal(get.status, 405);
      t.equal(get.headers.get('allow'), 'POST');
      t.match(get.body, { error: { code: 'METHOD_NOT_ALLOWED', message: /not allowed/ } });
    });

    t.test('the OpenFaaS surface and unknown paths are 404 JSON', async (t) => {
      for (const [method, path] of [
        ['GET', '/system/functions'],
        ['GET', '/function/get-me'],
        ['POST', '/async-function/register'],
        ['GET', '/metrics'],
        ['GET', '/metrics/'],
        ['GET', '/api/nope'],
        ['GET', '/api/users/me/'],
        ['GET', '/ui'],
      ] as const) {
        const answer = await via(method, path);
        t.equal(answer.status, 404, `${method} ${path}`);
        t.equal(answer.body?.error?.code, 'NOT_FOUND', `${method} ${path} JSON`);
      }
      t.equal((await fetch(`${shop.url}/metrics`)).status, 200, 'the metrics stay on the runtime port');
      // Dot segments are resolved before matching, and an encoded slash never splits a param.
      for (const path of ['/api/users/x/../../../system/functions', '/api/users/%2e%2e/%2e%2e/system/functions', '/api/users/me/addresses/..%2f..%2f..%2fsystem']) {
        const answer = await rawRequest(base, { path });
        t.equal(answer.status, 404, path);
        t.match(answer.json, { error: { code: 'NOT_FOUND' } });
      }
      const escaping = await rawRequest(base, { path: '/api/users/%2e%2e/%2e%2e/%2e%2e/%2e%2e/system' });
      t.equal(escaping.status, 400, 'above the root: nginx refuses the request line');
      t.match(escaping.json, { error: { code: 'BAD_REQUEST' } }, 'in JSON too');
    });

    t.test('X-Call-Id is kept or made up, and answered once', async (t) => {
      const given = await via('GET', '/api/users/me', { headers: { 'x-call-id': 'nginx-test-123' } });
      t.equal(given.status, 401);
      t.equal(given.headers.get('x-call-id'), 'nginx-test-123');
      const made = await via('GET', '/api/nope');
      t.match(made.headers.get('x-call-id'), /^[0-9a-f]{32}$/);
      const junk = await via('GET', '/api/users/me', { headers: { 'x-call-id': 'bad id with spaces' } });
      t.match(junk.headers.get('x-call-id'), /^[0-9a-f]{32}$/, 'a malformed one is replaced');
    });

    t.test('headers too large for nginx are 431 in JSON, as the runtime answers them', async (t) => {
      const big = await rawRequest(base, { path: '/api/products', headers: { 'x-padding': 'x'.repeat(20 * 1024) } });
      t.equal(big.status, 431);
      t.match(big.json, { error: { code: 'HEADERS_TOO_LARGE' } });
    });

    t.test('JSON bodies over 1 MB are refused by nginx, readably', async (t) => {
      const big = await rawRequest(base, { method: 'POST', path: '/api/users/me/addresses', headers: { 'content-type': 'application/json' }, bodyBytes: 2 * 1024 * 1024 });
      t.equal(big.status, 413);
      t.equal(big.json.error.code, 'PAYLOAD_TOO_LARGE');
    });

    t.test('access log lines are JSON with the call id', async (t) => {
      await via('GET', '/api/nope', { headers: { 'x-call-id': 'log-line-check' } });
      // The log is buffered and flushed every second: wait for the line rather than for a time.
      const logged = await eventually(async () => {
        const lines = accessLog().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
        return lines.some((l) => l.callId === 'log-line-check' && l.status === 404 && l.uri === '/api/nope');
      });
      t.ok(logged, 'a JSON line with the call id');
    });

    t.test('a burst on register is limited per IP with 429 JSON', async (t) => {
      // A client address of its own (all of 127/8 is loopback), so earlier tests' calls do not count.
      const register = () =>
        rawRequest(base, { method: 'POST', path: '/api/auth/register', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}'), localAddress: '127.0.0.9' });
      const answers = await Promise.all(Array.from({ length: 30 }, register));
      const limited = answers.filter((a) => a.status === 429);
      t.ok(limited.length > 0, `${limited.length} of 30 refused`);
      t.ok(answers.filter((a) => a.status === 400).length >= 5, 'the burst itself reaches the function');
      t.match(limited[0]?.json, { error: { code: 'RATE_LIMITED' } });
      t.equal(limited[0]?.headers['retry-after'], '10');
    });

    t.test('nginx logged no config trouble', async (t) => {
      t.notMatch(errorLog(), /uninitialized variable|empty URI|\[emerg\]|\[alert\]/);
    });
  });
}
