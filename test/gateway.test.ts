import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t, { type Test } from 'tap';
import { rawHttp } from './helpers/raw-http.js';
import { startShop, uniqueEmail } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

/** The OpenFaaS gateway surface of the local runtime (runtime/gateway.ts and its plugins in runtime/gateway/). */
t.test('OpenFaaS gateway surface', async (t) => {
  const shop = await startShop(targets[0]);
  t.teardown(() => shop.close());

  t.test('healthz', async (t) => {
    const health = await shop.call('GET', '/healthz');
    t.equal(health.status, 200);
  });

  t.test('system/functions lists every stack function with its image, labels and annotations', async (t) => {
    const list = await shop.call('GET', '/system/functions');
    t.equal(list.status, 200);
    const register = list.body.find((f: { name: string }) => f.name === 'register');
    t.match(register, {
      name: 'register',
      image: /register:/,
      labels: { 'com.shop.domain': 'users' },
      annotations: { 'com.shop.route': 'POST /api/auth/register' },
      envVars: { mode: 'http' },
    });
    t.ok(list.body.length >= 13);
  });

  t.test('system/functions never lists secrets: the admin email is a secret, secret-like names are left out', async (t) => {
    const list = await shop.call('GET', '/system/functions');
    t.notMatch(list.text, /admin@|ADMIN_EMAIL|PRIVATE_KEY/i);
    t.notMatch(JSON.stringify(list.body.map((f: { envVars: unknown }) => f.envVars)), /PASSWORD|_URL/i);
    const login = list.body.find((f: { name: string }) => f.name === 'login');
    t.same(Object.keys(login.envVars).sort(), ['MAX_JSON_SIZE', 'REDIS_KEY_PREFIX', 'exec_timeout', 'mode', 'read_timeout', 'write_timeout']);
  });

  t.test('every answer carries X-Call-Id: the given one, or a new one', async (t) => {
    const given = await shop.call('GET', '/healthz', { headers: { 'x-call-id': 'trace-123' } });
    t.equal(given.headers.get('x-call-id'), 'trace-123');
    const made = await shop.call('GET', '/api/nothing-here');
    t.match(made.headers.get('x-call-id'), /^[0-9a-f]{32}$/, 'the form nginx makes at the edge ($request_id)');
    const unsafe = await shop.call('GET', '/healthz', { headers: { 'x-call-id': 'a b<script>' } });
    t.not(unsafe.headers.get('x-call-id'), 'a b<script>', 'odd call ids are replaced');
  });

  t.test('the rest of the path and the query reach the function', async (t) => {
    const login = await shop.call('POST', '/api/auth/login', { body: shop.admin });
    const page = await shop.call('GET', '/function/list-users?limit=1&page=1', { token: login.body.accessToken });
    t.match(page.body, { limit: 1, page: 1 });
    const me = await shop.call('GET', '/api/users/me', { token: login.body.accessToken });
    const byId = await shop.call('GET', `/function/get-user/${me.body.user.id}`, { token: login.body.accessToken });
    t.same(byId.body, me.body);
  });

  t.test('unknown functions are 404', async (t) => {
    t.equal((await shop.call('GET', '/function/no-such-function')).status, 404);
    t.equal((await shop.call('POST', '/async-function/no-such-function', { body: {} })).status, 404);
  });

  t.test('async-function answers 202 at once and POSTs the result to X-Callback-Url', async (t) => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const callback = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      received.push({ headers: request.headers, body });
      response.end();
    });
    callback.listen(0, '127.0.0.1');
    await once(callback, 'listening');
    t.teardown(() => callback.close());
    const url = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/done`;

    const email = uniqueEmail('async');
    const accepted = await shop.call('POST', '/async-function/register', {
      body: { email, password: 'long enough 1', name: 'Async' },
      headers: { 'x-callback-url': url, 'x-call-id': 'async-call-1' },
    });
    t.equal(accepted.status, 202);
    t.equal(accepted.headers.get('x-call-id'), 'async-call-1');
    for (let i = 0; i < 100 && !received.length; i++) await new Promise((r) => setTimeout(r, 50));
    t.equal(received.length, 1, 'callback received');
    t.equal(received[0].headers['x-function-status'], '201');
    t.equal(received[0].headers['x-call-id'], 'async-call-1');
    t.equal(JSON.parse(received[0].body).user.email, email);

    const bad = await shop.call('POST', '/async-function/register', { body: {}, headers: { 'x-callback-url': 'file:///etc/passwd' } });
    t.equal(bad.status, 400);
  });

  t.test('the same X-Call-Id posted twice runs the function once; both callbacks carry its answer', async (t) => {
    const hook = await callbacks(t);
    const email = uniqueEmail('twice');
    for (let i = 0; i < 2; i++) {
      const accepted = await shop.call('POST', '/async-function/register', {
        body: { email, password: 'long enough 1', name: 'Twice' },
        headers: { 'x-callback-url': hook.url, 'x-call-id': 'async-twice-1' },
      });
      t.equal(accepted.status, 202);
    }
    const received = await hook.wait(2);
    // Run twice, the second would be 409 EMAIL_TAKEN.
    t.same(received.map((r) => r.headers['x-function-status']), ['201', '201']);
    t.equal(received[0].body, received[1].body, 'the same answer');
  });
});

/** A server that records the callbacks it receives; it answers 503 while `failing()` says so. */
async function callbacks(t: Test, failing = () => false) {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push({ headers: request.headers, body });
    response.statusCode = failing() ? 503 : 200;
    response.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/done`,
    /** The callbacks of one call id, once there are `count` of them (generously: the machine may be busy). */
    async wait(count: number, callId?: string) {
      const mine = () => received.filter((r) => !callId || r.headers['x-call-id'] === callId);
      for (let i = 0; i < 1200 && mine().length < count; i++) await sleep(50);
      return mine();
    },
  };
}

for (const target of targets) {
  t.test(`async calls run once per call id on ${target.name}`, async (t) => {
    // A worker that gives up on a call after 500 ms and asks again soon after.
    const shop = await startShop(target, {
      STACK_FILE: 'test/fixtures/events/stack.yml',
      EVENT_CALL_TIMEOUT: '500ms',
      EVENT_RETRY_DELAYS: '200ms,500ms,1s,1s,2s,2s,3s,3s,5s,5s,5s,5s',
    });
    t.teardown(() => shop.close());
    const runs = async (callId: string) => Number(await shop.gateway.deps!.kv.get(`fixture:counted:${callId}`));
    const post = (callId: string, url: string, body: unknown) =>
      shop.call('POST', '/async-function/counted', { body, headers: { 'x-callback-url': url, 'x-call-id': callId } });

    t.test('20 at once with one call id: it runs once, and all 20 callbacks carry its answer', async (t) => {
      const hook = await callbacks(t);
      const callId = `at-once-${randomBytes(4).toString('hex')}`;
      const accepted = await Promise.all(Array.from({ length: 20 }, () => post(callId, hook.url, { ms: 100 })));
      t.same([...new Set(accepted.map((a) => a.status))], [202]);
      const received = await hook.wait(20, callId);
      t.equal(received.length, 20, 'every call was answered');
      t.same([...new Set(received.map((r) => r.headers['x-function-status']))], ['200']);
      t.same([...new Set(received.map((r) => r.body))], [JSON.stringify({ run: 1, callId })], 'each with the first run\'s answer');
      t.equal(await runs(callId), 1, 'the function ran once');
    });

    t.test('a call the worker timed out on is answered from its first run when retried', async (t) => {
      const hook = await callbacks(t);
      const callId = `slow-${randomBytes(4).toString('hex')}`;
      t.equal((await post(callId, hook.url, { ms: 1500 })).status, 202);
      const [answer] = await hook.wait(1, callId);
      t.equal(answer?.headers['x-function-status'], '200');
      t.same(JSON.parse(answer.body), { run: 1, callId });
      t.equal(await runs(callId), 1, 'ran once, though the worker gave up on it after 500 ms');
    });

    t.test('a callback that fails is delivered again, with the same answer, and the function does not run again', async (t) => {
      let failures = 1;
      const hook = await callbacks(t, () => failures-- > 0);
      const callId = `callback-${randomBytes(4).toString('hex')}`;
      t.equal((await post(callId, hook.url, { ms: 0 })).status, 202);
      const received = await hook.wait(2, callId);
      t.equal(received.length, 2, 'the failed callback, then the delivered one');
      t.same(received.map((r) => JSON.parse(r.body)), [{ run: 1, callId }, { run: 1, callId }]);
      t.equal(await runs(callId), 1);
    });

    t.test('the same call id with another request is refused, not answered from the first', async (t) => {
      const hook = await callbacks(t);
      const callId = `reused-${randomBytes(4).toString('hex')}`;
      await post(callId, hook.url, { ms: 0 });
      await hook.wait(1, callId);
      await post(callId, hook.url, { ms: 1 });
      const [, second] = await hook.wait(2, callId);
      t.equal(second?.headers['x-function-status'], '422');
      t.equal(JSON.parse(second.body).error.code, 'IDEMPOTENCY_KEY_REUSED');
      t.equal(await runs(callId), 1);
    });
  });
}

t.test('the edge of the runtime: methods, requests the HTTP parser refuses, timeouts', async (t) => {
  const shop = await startShop(targets[0], { HEADERS_TIMEOUT: '1s', REQUEST_TIMEOUT: '2s', KEEP_ALIVE_TIMEOUT: '1s' });
  t.teardown(() => shop.close());

  t.test('a known public path with a method nobody answers is 405 with Allow, as behind Nginx', async (t) => {
    const put = await shop.call('PUT', '/api/users/me', { body: {} });
    t.equal(put.status, 405);
    t.equal(put.body.error.code, 'METHOD_NOT_ALLOWED');
    t.equal(put.headers.get('allow'), 'GET, PATCH, DELETE');
    t.equal((await shop.call('GET', '/api/auth/login')).status, 405);
    t.equal((await shop.call('PUT', '/api/users/some-id', { body: {} })).status, 405);
    t.equal((await shop.call('GET', '/api/nope')).status, 404);
  });

  t.test('HEAD and OPTIONS are 405 with Allow (HEAD not in it) on public routes and gateway paths alike', async (t) => {
    for (const [path, allow] of [
      ['/api/products', 'GET, POST'],
      ['/api/users/me', 'GET, PATCH, DELETE'],
      ['/function/list-products', 'GET'],
      ['/function/get-product/abc', 'GET'],
      ['/function/login', 'POST'],
    ]) {
      const head = await shop.call('HEAD', path);
      t.equal(head.status, 405, `HEAD ${path}`);
      t.equal(head.headers.get('allow'), allow);
      t.equal(head.text, '', 'no body');
      const options = await shop.call('OPTIONS', path);
      t.equal(options.status, 405, `OPTIONS ${path}`);
      t.equal(options.headers.get('allow'), allow);
      t.match(options.body, { error: { code: 'METHOD_NOT_ALLOWED', message: String } });
    }
  });

  t.test('what the HTTP parser refuses is answered in the error shape', async (t) => {
    const shape = (code: string) => ({ error: { code, message: String } });
    const garbage = await rawHttp(shop.url, 'HELLO THERE\r\n\r\n');
    t.equal(garbage.status, 400, 'a malformed request line');
    t.match(garbage.body, shape('BAD_REQUEST'));
    t.match(garbage.headers['content-type'], /^application\/json/);
    const badVersion = await rawHttp(shop.url, 'GET /healthz HTTP/1.1 junk\r\nHost: x\r\n\r\n');
    t.equal(badVersion.status, 400);
    t.match(badVersion.body, shape('BAD_REQUEST'));
    const bigHeader = await rawHttp(shop.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    t.equal(bigHeader.status, 431, 'over-long headers');
    t.match(bigHeader.body, shape('HEADERS_TOO_LARGE'));
    const longUrl = await rawHttp(shop.url, `GET /api/products?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    t.equal(longUrl.status, 431, 'an over-long URL');
    t.match(longUrl.body, shape('HEADERS_TOO_LARGE'));
  });

  t.test('slow and silent connections are not held: 408 in the error shape, then closed', async (t) => {
    const silent = await rawHttp(shop.url, '');
    t.equal(silent.status, 408, 'a connection that never sends a byte');
    const slowHeaders = await rawHttp(shop.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
    t.equal(slowHeaders.status, 408, 'headers that never finish');
    t.match(slowHeaders.body, { error: { code: 'REQUEST_TIMEOUT', message: String } });
    const slowBody = await rawHttp(
      shop.url,
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
    );
    t.equal(slowBody.status, 408, 'a body that never finishes');
    const idle = await rawHttp(shop.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    t.equal(idle.status, 200, 'an idle keep-alive connection is answered, then closed');
  });
});

t.test('/async-function is bounded and never calls back the gateway itself', async (t) => {
  // No worker here (CONNECTOR=off): the calls wait in the queue, which holds two.
  const shop = await startShop(targets[0], { CONNECTOR: 'off', ASYNC_MAX_QUEUED: '2' });
  t.teardown(() => shop.close());
  const body = { email: uniqueEmail('bounded'), password: 'long enough 1', name: 'Bounded' };
  t.equal((await shop.call('POST', '/async-function/register', { body })).status, 202);
  t.equal((await shop.call('POST', '/async-function/register', { body })).status, 202);
  const full = await shop.call('POST', '/async-function/register', { body });
  t.equal(full.status, 429);
  t.equal(full.body.error.code, 'RATE_LIMITED');
  const port = new URL(shop.url).port;
  const selves = [
    `${shop.url}/function/register`, `http://localhost:${port}/`, `http://[::1]:${port}/x`,
    // The same address written otherwise: IPv4-mapped, IPv4-compatible, NAT64, short, hex, decimal, octal, trailing dots.
    `http://[::ffff:127.0.0.1]:${port}/`, `http://[::127.0.0.1]:${port}/`, `http://[64:ff9b::7f00:1]:${port}/`, `http://127.1:${port}/`,
    `http://0x7f000001:${port}/`, `http://2130706433:${port}/`, `http://017700000001:${port}/`, `http://localhost.:${port}/`, `http://127.0.0.1.:${port}/`,
    `http://[::]:${port}/`, `http://0.0.0.0:${port}/`,
  ];
  for (const url of selves) {
    const self = await shop.call('POST', '/async-function/register', { body, headers: { 'x-callback-url': url } });
    t.equal(self.status, 400, url);
    t.match(self.body.error.message, /gateway itself/);
  }
  const zoned = await shop.call('POST', '/async-function/register', { body, headers: { 'x-callback-url': `http://[fe80::1%25eth0]:${port}/` } });
  t.equal(zoned.status, 400, 'an IPv6 zone id is no URL');
});
