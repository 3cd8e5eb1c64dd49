import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import t, { type Test } from 'tap';
import { adminToken, newCustomer, startShop, type Answer } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

/** A 4xx in the error shape of API.md, without internals. */
function rejected(t: Test, answer: Answer, status: number, code?: string) {
  t.equal(answer.status, status, `status ${status}`);
  t.match(answer.body, { error: { code: code ?? String, message: String } }, 'error shape');
  t.match(answer.headers.get('content-type'), /^application\/json/);
  t.notMatch(answer.text, /node_modules|\n\s+at |passwordHash|\$argon2/, 'no internals');
}

for (const target of targets) {
  t.test(`bad input over HTTP on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    const ann = await newCustomer(shop);
    const userCount = async () => (await shop.call('GET', '/api/users?limit=1', { token: admin })).body.total;
    const annNow = async () => (await shop.call('GET', '/api/users/me', { token: ann.accessToken })).body.user;
    const before = { users: await userCount(), ann: await annNow() };

    t.test('missing fields and wrong types are 400 with details', async (t) => {
      const empty = await shop.call('POST', '/api/auth/register', { body: {} });
      rejected(t, empty, 400, 'VALIDATION_FAILED');
      t.same(empty.body.error.details.map((d: { path: string }) => d.path).sort(), ['body.email', 'body.name', 'body.password']);
      rejected(t, await shop.call('POST', '/api/auth/register', { body: { email: 5, password: true, name: [] } }), 400, 'VALIDATION_FAILED');
      rejected(t, await shop.call('POST', '/api/auth/register', { body: { email: 'not-an-email', password: 'long enough', name: 'X' } }), 400);
      rejected(t, await shop.call('POST', '/api/auth/register', { body: { email: 'a@b.co', password: 'short', name: 'X' } }), 400);
      rejected(t, await shop.call('POST', '/api/auth/register'), 400);
      rejected(t, await shop.call('POST', '/api/users/me/addresses', { token: ann.accessToken, body: { street: '' } }), 400);
    });

    t.test('operator objects never reach a query', async (t) => {
      rejected(t, await shop.call('POST', '/api/auth/login', { body: { email: { $ne: null }, password: 'x' } }), 400, 'VALIDATION_FAILED');
      rejected(t, await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: { $gt: '' } } }), 400);
      rejected(t, await shop.call('POST', '/api/auth/register', { body: { email: { $ne: null }, password: 'long enough', name: 'X' } }), 400);
    });

    t.test('unknown fields are rejected, so nobody registers as an admin', async (t) => {
      const sneaky = await shop.call('POST', '/api/auth/register', {
        body: { email: 'sneaky@example.com', password: 'long enough 1', name: 'Mallory', role: 'admin' },
      });
      rejected(t, sneaky, 400, 'VALIDATION_FAILED');
      t.match(sneaky.body.error.message + JSON.stringify(sneaky.body.error.details), /role|unrecognized/i);
      rejected(t, await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, body: { role: 'admin' } }), 400);
    });

    t.test('malformed JSON is 400, a non-JSON body 415, a 5 MB body 413', async (t) => {
      rejected(t, await shop.call('POST', '/api/auth/login', { raw: '{"email":' }), 400, 'VALIDATION_FAILED');
      rejected(t, await shop.call('POST', '/api/auth/login', { raw: 'email=a', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      const huge = JSON.stringify({ name: 'x'.repeat(5 * 1024 * 1024) });
      rejected(t, await shop.call('PATCH', '/api/users/me', { raw: huge, token: ann.accessToken }), 413, 'PAYLOAD_TOO_LARGE');
      rejected(t, await shop.call('POST', '/api/auth/register', { raw: huge }), 413);
      rejected(t, await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, body: { name: 'y'.repeat(10_000) } }), 400);
    });

    t.test('malformed ids are 404', async (t) => {
      for (const id of ['nope', '000000000000000000000000', '%7B%22%24ne%22%3Anull%7D', 'x'.repeat(300), "1'%20OR%20'1'='1"]) {
        rejected(t, await shop.call('GET', `/api/users/${id}`, { token: admin }), 404, 'NOT_FOUND');
      }
      rejected(t, await shop.call('GET', '/function/get-user', { token: admin }), 404, 'NOT_FOUND');
      rejected(t, await shop.call('GET', '/function/get-user/a/b', { token: admin }), 404, 'NOT_FOUND');
    });

    t.test('tampered, foreign and unsigned tokens are 401', async (t) => {
      const [header, payload, signature] = ann.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const asAdmin = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
      rejected(t, await shop.call('GET', '/api/users', { token: `${header}.${asAdmin}.${signature}` }), 401, 'UNAUTHENTICATED');
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      rejected(t, await shop.call('GET', '/api/users/me', { token: `${none}.${asAdmin}.` }), 401);
      const foreign = await new SignJWT({ role: 'admin', gen: Date.now() })
        .setProtectedHeader({ alg: 'EdDSA', kid: JSON.parse(Buffer.from(header, 'base64url').toString()).kid })
        .setSubject(claims.sub)
        .setJti('x')
        .setIssuer('food-shop')
        .setAudience('food-shop')
        .setExpirationTime('5m')
        .sign(generateKeyPairSync('ed25519').privateKey);
      rejected(t, await shop.call('GET', '/api/users', { token: foreign }), 401);
      rejected(t, await shop.call('GET', '/api/users/me', { headers: { authorization: 'Basic YTpi' } }), 401);
      rejected(t, await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: 'made-up' } }), 401);
    });

    t.test('a wrong method on a gateway path is 405', async (t) => {
      rejected(t, await shop.call('GET', '/function/register'), 405, 'METHOD_NOT_ALLOWED');
    });

    t.test('and nothing changed', async (t) => {
      t.equal(await userCount(), before.users);
      t.same(await annNow(), before.ann);
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } })).status, 200);
    });
  });
}
