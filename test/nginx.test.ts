import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import t, { type Test } from 'tap';
import { OUTPUT, renderNginxConfig } from '../scripts/nginx-config.js';
import { loadStack } from '../runtime/stack.js';
import { imageForm, jpeg } from './helpers/images.js';
import { adminToken, call, newCustomer, startShop } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

t.test('the committed nginx config is what stack.yml gives', async (t) => {
  const committed = readFileSync(OUTPUT, 'utf8');
  const fresh = committed === renderNginxConfig(loadStack('stack.yml'));
  t.ok(fresh, fresh ? `${OUTPUT} matches stack.yml` : `${OUTPUT} is stale: run \`npm run nginx\` and commit it`);
});

t.test('routes with more than one shape', async (t) => {
  // A catalog-like stack: a static path, a param path with a suffix, and a method that only a
  // more general route answers (the router takes it, so nginx must too).
  const fn = (name: string, route: string) => {
    const [method, path] = route.split(' ');
    return { name, lang: '', handler: '', image: '', environment: {}, secrets: [], labels: {}, annotations: {}, topics: [], route: { method, path } };
  };
  const conf = renderNginxConfig({
    provider: { name: 'openfaas' },
    functions: [
      fn('get-product', 'GET /api/products/:id'),
      fn('upload-image', 'POST /api/products/:id/image'),
      fn('featured', 'GET /api/products/featured'),
      fn('update-product', 'PATCH /api/products/:id'),
    ],
  }, { upstream: '127.0.0.1:9' });
  t.match(conf, /server 127\.0\.0\.1:9;/);
  t.match(conf, /POST \/function\/upload-image\/\$seg1;/);
  t.match(conf, /PATCH \/function\/update-product\/featured;/, 'PATCH /api/products/featured reaches update-product');
  t.ok(conf.indexOf('location = /api/products/featured') < conf.indexOf('location ~ ^/api/products/'), 'static first');
  const bad = { provider: { name: 'openfaas' }, functions: [fn('x', 'GET /system/functions')] };
  t.throws(() => renderNginxConfig(bad), /must start with \/api\//);
  const twice = { provider: { name: 'openfaas' }, functions: [fn('a', 'GET /api/x/:id'), fn('b', 'GET /api/x/:other')] };
  t.throws(() => renderNginxConfig(twice), /b and a both route GET/);
});

/** PATH first, then Debian's place for it. */
function findNginx(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nginx')), '/usr/sbin/nginx'];
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Raw GET, path sent exactly as given (fetch would normalise dot segments first). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(base + '/', { path }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.once('error', reject);
    request.end();
  });
}

/** nginx with a rendered config in front of `upstream`, stopped (and its folder removed) in teardown. */
async function startNginx(t: Test, binary: string, upstream: string) {
  const dir = mkdtempSync(join(tmpdir(), 'shop-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    renderNginxConfig(loadStack('stack.yml'), {
      upstream,
      listen: `127.0.0.1:${port}`,
      pidFile: join(dir, 'nginx.pid'),
      errorLog: join(dir, 'error.log'),
      accessLog: join(dir, 'access.log'),
      tempDir: dir,
    }),
  );
  // One process in the foreground, our child: stopping it leaves nothing behind.
  const args = ['-p', dir, '-c', conf, '-g', 'daemon off; master_process off;'];
  const checked = spawnSync(binary, ['-t', ...args], { encoding: 'utf8' });
  if (checked.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx -t rejects the config: ${checked.stderr}`);
  }

  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = () => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM');
  process.once('exit', stop); // even if the suite dies, nginx must not outlive it
  t.teardown(async () => {
    stop();
    await exited;
    process.removeListener('exit', stop);
    rmSync(dir, { recursive: true, force: true });
  });

  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { base, dir, errorLog: () => readFileSync(join(dir, 'error.log'), 'utf8') };
}

const nginx = findNginx();
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
    const { base } = await startNginx(t, nginx, `127.0.0.1:${(echo.address() as { port: number }).port}`);

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

  t.test(`nginx (${nginx}) in front of the runtime`, async (t) => {
    const shop = await startShop(targets[0]);
    t.teardown(() => shop.close());
    const { base, dir, errorLog } = await startNginx(t, nginx, new URL(shop.url).host);
    const via = (method: string, path: string, options?: Parameters<typeof call>[3]) => call(base, method, path, options);
    t.test('healthz is answered by nginx', async (t) => {
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
        ['GET', '/api/nope'],
        ['GET', '/api/users/me/'],
        ['GET', '/'],
      ] as const) {
        const answer = await via(method, path);
        t.equal(answer.status, 404, `${method} ${path}`);
        t.equal(answer.body?.error?.code, 'NOT_FOUND', `${method} ${path} JSON`);
      }
      // Dot segments are resolved before matching, and an encoded slash never splits a param.
      for (const path of ['/api/users/x/../../../system/functions', '/api/users/%2e%2e/%2e%2e/system/functions', '/api/users/me/addresses/..%2f..%2f..%2fsystem']) {
        const answer = await rawGet(base, path);
        t.equal(answer.status, 404, path);
        t.match(JSON.parse(answer.body), { error: { code: 'NOT_FOUND' } });
      }
      const escaping = await rawGet(base, '/api/users/%2e%2e/%2e%2e/%2e%2e/%2e%2e/system');
      t.equal(escaping.status, 400, 'above the root: nginx refuses the request line');
      t.match(JSON.parse(escaping.body), { error: { code: 'BAD_REQUEST' } }, 'in JSON too');
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

    t.test('bodies over 6 MB are refused by nginx', async (t) => {
      const big = await via('POST', '/api/auth/register', { raw: 'x'.repeat(7 * 1024 * 1024) });
      t.equal(big.status, 413);
      t.equal(big.body.error.code, 'PAYLOAD_TOO_LARGE');
    });

    t.test('access log lines are JSON with the call id', async (t) => {
      await via('GET', '/api/nope', { headers: { 'x-call-id': 'log-line-check' } });
      const lines = readFileSync(join(dir, 'access.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      t.ok(lines.some((l) => l.callId === 'log-line-check' && l.status === 404 && l.uri === '/api/nope'));
    });

    // Last: it fills the per-IP bucket of the auth paths.
    t.test('a burst on register is limited per IP with 429 JSON', async (t) => {
      const answers = await Promise.all(Array.from({ length: 40 }, () => via('POST', '/api/auth/register', { body: {} })));
      const limited = answers.filter((a) => a.status === 429);
      t.ok(limited.length > 0, `${limited.length} of 40 refused`);
      t.ok(answers.filter((a) => a.status === 400).length >= 20, 'the burst itself reaches the function');
      t.match(limited[0]?.body, { error: { code: 'RATE_LIMITED' } });
      t.equal(limited[0]?.headers.get('retry-after'), '1');
    });

    t.test('nginx logged no config trouble', async (t) => {
      t.notMatch(errorLog(), /uninitialized variable|empty URI|\[emerg\]|\[alert\]/);
    });
  });
}
