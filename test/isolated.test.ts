import t from 'tap';
import { Redis } from 'ioredis';
import { scrape } from './helpers/metrics.js';
import { eventually, startShop } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

/** Isolated mode: every function is its own process started through the template entry. */
const realServices = targets.find((target) => target.name.startsWith('PostgreSQL'));

t.test('isolated mode refuses embedded storage and says why', async (t) => {
  await t.rejects(startShop(targets[0], {}, true), /DATABASE_URL and REDIS_URL/);
});

t.test(
  'isolated mode smoke test',
  { skip: realServices ? false : 'needs DATABASE_URL (postgres://) and REDIS_URL: isolated smoke test SKIPPED' },
  async (t) => {
    const shop = await startShop(realServices!, {}, true);
    t.teardown(() => shop.close());
    t.equal(shop.gateway.mode, 'isolated');

    const email = `iso.${Date.now()}@example.com`;
    const registered = await shop.call('POST', '/api/auth/register', { body: { email, password: 'long enough 1', name: 'Iso' } });
    t.equal(registered.status, 201, 'register, its own process');
    const login = await shop.call('POST', '/function/login', {
      body: { email, password: 'long enough 1' },
      headers: { 'x-call-id': 'iso-1' },
    });
    t.equal(login.status, 200, 'login, another process');
    t.equal(login.headers.get('x-call-id'), 'iso-1', 'the call id crosses the process boundary');
    const token = login.body.accessToken;
    const me = await shop.call('GET', '/api/users/me', { token });
    t.equal(me.body.user.email, email, 'get-me verifies a token signed by another process');
    const renamed = await shop.call('PATCH', '/api/users/me', { token, body: { name: 'Isolde' } });
    t.equal(renamed.body.user.name, 'Isolde');
    const address = await shop.call('POST', '/api/users/me/addresses', {
      token,
      body: { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    });
    const removed = await shop.call('DELETE', `/api/users/me/addresses/${address.body.user.addresses[0].id}`, { token });
    t.same(removed.body.user.addresses, [], 'a path parameter reaches its process');
    t.equal((await shop.call('GET', '/api/users?limit=1', { token })).status, 403);
    const bad = await shop.call('POST', '/api/auth/register', { raw: '{"email":' });
    t.equal(bad.status, 400, 'errors come back in the same shape');
    t.equal(bad.body.error.code, 'VALIDATION_FAILED');
    const out = await shop.call('POST', '/api/auth/logout', { token, body: { refreshToken: login.body.refreshToken } });
    t.equal(out.status, 204);
    t.equal((await shop.call('GET', '/api/users/me', { token })).status, 401, 'logout in one process is seen by another');

    // The async worker's idempotency key is honoured in the function's own process.
    const asyncCall = {
      body: { email: `iso.once.${Date.now()}@example.com`, password: 'long enough 1', name: 'Once' },
      headers: { 'x-async-call-id': `iso-once-${Date.now()}` },
    };
    const first = await shop.call('POST', '/function/register', asyncCall);
    const retried = await shop.call('POST', '/function/register', asyncCall);
    t.equal(first.status, 201);
    t.equal(retried.status, 201, 'answered from the first run (a second run would be 409 EMAIL_TAKEN)');
    t.equal(retried.headers.get('x-call-replayed'), 'true');
    t.same(retried.body, first.body);

    // An event written by one process reaches another: delete-me stores user.deleted, the
    // runtime's relay hears the commit, the connector calls forget-user in its own process.
    const again = await shop.call('POST', '/function/login', { body: { email, password: 'long enough 1' } });
    const family = JSON.parse(Buffer.from(again.body.accessToken.split('.')[1], 'base64url').toString()).fam;
    t.equal((await shop.call('DELETE', '/api/users/me', { token: again.body.accessToken, body: { currentPassword: 'long enough 1' } })).status, 204);
    const redis = new Redis(shop.env.REDIS_URL!, { keyPrefix: shop.env.REDIS_KEY_PREFIX });
    t.teardown(() => redis.quit());
    t.equal(await eventually(() => redis.get(`auth:family-revoked:${family}`)), '1', 'forget-user ended the session');

    // The gateway counts the calls it proxies, as in-process.
    const metrics = await scrape(`${shop.url}/metrics`);
    t.equal(metrics.value('gateway_function_invocation_total', { function_name: 'get-me', code: '200' }), 1, 'calls counted by the proxying gateway');
    t.equal(metrics.value('gateway_function_invocation_total', { function_name: 'register', code: '201' }), 3, 'at the public route and at /function/register');
  },
);

