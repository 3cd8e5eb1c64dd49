import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { startShop, uniqueEmail } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

/** The OpenFaaS gateway surface of the local runtime (API.md, "Hosts and ports"). */
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

  t.test('every answer carries X-Call-Id: the given one, or a new one', async (t) => {
    const given = await shop.call('GET', '/healthz', { headers: { 'x-call-id': 'trace-123' } });
    t.equal(given.headers.get('x-call-id'), 'trace-123');
    const made = await shop.call('GET', '/api/nothing-here');
    t.match(made.headers.get('x-call-id'), /^[\w-]{8,}$/);
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
});

t.test('a known public path with a method nobody answers is 405 with Allow, as behind Nginx', async (t) => {
  const shop = await startShop(targets[0]);
  t.teardown(() => shop.close());
  const put = await shop.call('PUT', '/api/users/me', { body: {} });
  t.equal(put.status, 405);
  t.equal(put.body.error.code, 'METHOD_NOT_ALLOWED');
  t.equal(put.headers.get('allow'), 'GET, PATCH, DELETE');
  t.equal((await shop.call('GET', '/api/auth/login')).status, 405);
  t.equal((await shop.call('PUT', '/api/users/some-id', { body: {} })).status, 405);
  t.equal((await shop.call('GET', '/api/nope')).status, 404);
});
