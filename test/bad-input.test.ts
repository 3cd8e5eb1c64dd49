import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import t, { type Test } from 'tap';
import { adminToken, newCustomer, startShop, type Answer, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

/** A 4xx in the error shape (platform/errors.ts), without internals. */
function rejected(t: Test, answer: Answer, status: number, code?: string) {
  t.equal(answer.status, status, `status ${status}`);
  t.match(answer.body, { error: { code: code ?? String, message: String } }, 'error shape');
  t.match(answer.headers.get('content-type'), /^application\/json/);
  t.notMatch(answer.text, /node_modules|\n\s+at |passwordHash|\$argon2/, 'no internals');
}

/** Bytes sent exactly as given (fetch would re-encode a string as UTF-8). */
async function sendBytes(shop: Shop, method: string, path: string, bytes: Buffer, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(shop.url + path, { method, headers, body: new Uint8Array(bytes) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

/** A multipart body by hand, to send what no well-behaved client would. */
const multipart = (boundary: string, parts: string[]) => parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('') + `--${boundary}--\r\n`;
const field = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;

for (const target of targets) {
  t.test(`bad input over HTTP on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    const ann = await newCustomer(shop);
    const userCount = async () => (await shop.call('GET', '/api/users?limit=1', { token: admin })).body.total;
    const annNow = async () => (await shop.call('GET', '/api/users/me', { token: ann.accessToken })).body.user;
    const productCount = async () => (await shop.call('GET', '/api/products?limit=1')).body.total;
    t.equal((await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Fruit' } })).status, 201);
    const categoriesNow = async () => (await shop.call('GET', '/api/categories')).body.items;
    const before = { users: await userCount(), ann: await annNow(), products: await productCount(), categories: await categoriesNow() };

    t.test('missing fields and wrong types are 400 with details', async (t) => {
      const empty = await shop.call('POST', '/api/auth/register', { body: {} });
      rejected(t, empty, 400, 'VALIDATION_FAILED');
      t.same(empty.body.error.details.map((d: { path: string }) => d.path).sort(), ['body.email', 'body.name', 'body.password']);
      t.ok(empty.body.error.details.every((d: { message: string }) => d.message === 'required (string)'), 'each says it is required');
      const noQuantity = await shop.call('POST', '/api/cart/items', { token: ann.accessToken, body: { productId: 'abc' } });
      rejected(t, noQuantity, 400, 'VALIDATION_FAILED');
      t.same(
        noQuantity.body.error.details,
        [{ path: 'body.quantity', message: 'send quantity (sold by the piece) or grams (sold by weight)' }],
        'not "expected number, received undefined"',
      );
      const wrongType = await shop.call('POST', '/api/cart/items', { token: ann.accessToken, body: { productId: 'abc', quantity: 'two' } });
      t.match(wrongType.body.error.details, [{ path: 'body.quantity', message: /expected number, received string/ }], 'a wrong type still says so');
      const noKey = await shop.call('POST', '/api/orders', { token: ann.accessToken, body: { addressId: 'x' } });
      t.match(noKey.body.error.details, [{ path: 'headers.idempotency-key', message: /send an Idempotency-Key header/ }], "a schema's own message wins");
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

    t.test('an empty JSON body is no body: a route without one answers, one with one names what is required', async (t) => {
      const resend = await shop.call('POST', '/api/auth/verify-email/resend', { raw: '', token: ann.accessToken });
      t.equal(resend.status, 202, 'a POST without a body, sent with content-type: application/json');
      const login = await shop.call('POST', '/api/auth/login', { raw: '' });
      rejected(t, login, 400, 'VALIDATION_FAILED');
      t.match(login.body.error.details, [{ path: 'body', message: /required/ }], 'the body is required');
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

    t.test('a NUL or a lone surrogate in a path id finds nothing (404)', async (t) => {
      for (const id of ['%00', 'a%00b', '%ED%A0%80', '%ED%B0%80x', '%FF']) {
        rejected(t, await shop.call('GET', `/api/products/${id}`), 404, 'NOT_FOUND');
        rejected(t, await shop.call('GET', `/function/get-product/${id}`), 404, 'NOT_FOUND');
        rejected(t, await shop.call('GET', `/api/users/${id}`, { token: admin }), 404, 'NOT_FOUND');
        rejected(t, await shop.call('GET', `/api/categories/${id}`), 404, 'NOT_FOUND');
        rejected(t, await shop.call('DELETE', `/api/users/me/addresses/${id}`, { token: ann.accessToken }), 404, 'NOT_FOUND');
      }
    });

    t.test('a NUL or a lone surrogate in the query is 400, as are bytes that do not decode', async (t) => {
      for (const q of ['%00', 'apple%00', '%ED%A0%80', '%FF', 'a%']) {
        const answer = await shop.call('GET', `/api/products?q=${q}`);
        rejected(t, answer, 400, 'VALIDATION_FAILED');
      }
      rejected(t, await shop.call('GET', '/api/users?page=1%00', { token: admin }), 400, 'VALIDATION_FAILED');
      t.match((await shop.call('GET', '/api/products?q=%00')).body.error.details, [{ path: 'query.q' }]);
      t.equal((await shop.call('GET', '/api/products?q=%F0%9F%8D%8E')).status, 200, 'a surrogate pair (an emoji) is fine');
    });

    t.test('a NUL or a lone surrogate anywhere in a JSON body is 400, never a 500', async (t) => {
      // JSON escapes: a lone surrogate cannot travel as UTF-8 bytes at all (see the next test).
      const bad = ['a\\u0000b', 'a\\ud800b', '\\udc00', 'x\\ud83d'];
      for (const text of bad) {
        const raw = (body: string) => ({ raw: body.replace('TEXT', text) });
        rejected(t, await shop.call('POST', '/api/auth/register', raw(`{"email":"nul@example.com","password":"long enough 1","name":"TEXT"}`)), 400, 'VALIDATION_FAILED');
        const me = await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, ...raw('{"name":"TEXT"}') });
        rejected(t, me, 400, 'VALIDATION_FAILED');
        t.match(me.body.error.details, [{ path: 'body.name' }]);
        const address = '{"street":"TEXT","city":"Springfield","postalCode":"12345","country":"US"}';
        rejected(t, await shop.call('POST', '/api/users/me/addresses', { token: ann.accessToken, ...raw(address) }), 400, 'VALIDATION_FAILED');
        rejected(t, await shop.call('POST', '/api/categories', { token: admin, ...raw('{"name":"TEXT"}') }), 400, 'VALIDATION_FAILED');
        const product = '{"name":"Pears","description":"TEXT","category":"fruit","priceCents":1}';
        rejected(t, await shop.call('POST', '/api/products', { token: admin, ...raw(product) }), 400, 'VALIDATION_FAILED');
        rejected(t, await shop.call('POST', '/api/auth/login', raw(`{"email":"${ann.email}","password":"TEXT"}`)), 400);
      }
      const deep = await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, raw: '{"name":"Ann","x":[[{"y":{"z":"a\\u0000"}}]]}' });
      rejected(t, deep, 400, 'VALIDATION_FAILED');
      t.match(deep.body.error.details, [{ path: 'body.x.0.0.y.z' }], 'found at any depth');
      rejected(t, await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, raw: '{"a\\u0000":1}' }), 400, 'VALIDATION_FAILED');
      const nested = '['.repeat(100_000) + ']'.repeat(100_000);
      rejected(t, await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, raw: nested }), 400);
    });

    t.test('a JSON body that is not UTF-8 is 400, never stored as U+FFFD', async (t) => {
      const body = Buffer.concat([Buffer.from('{"name":"Ann'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      const answer = await sendBytes(shop, 'PATCH', '/api/users/me', body, {
        'content-type': 'application/json',
        authorization: `Bearer ${ann.accessToken}`,
      });
      rejected(t, answer, 400, 'VALIDATION_FAILED');
      t.match(answer.body.error.message, /UTF-8/);
      const surrogate = Buffer.concat([Buffer.from('{"name":"A'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
      rejected(t, await sendBytes(shop, 'PATCH', '/api/users/me', surrogate, { 'content-type': 'application/json', authorization: `Bearer ${ann.accessToken}` }), 400);
    });

    t.test('multipart: NUL or a lone surrogate in a field or a file name, bytes that are not UTF-8, no boundary or a cut-off body: 400', async (t) => {
      const send = (body: Buffer | string, type = 'multipart/form-data; boundary=XyZ') =>
        sendBytes(shop, 'POST', '/api/products', Buffer.from(body), { 'content-type': type, authorization: `Bearer ${admin}` });
      const fields = [field('name', 'Pears'), field('category', 'fruit'), field('priceCents', '100')];
      const good = multipart('XyZ', fields);
      // A lone surrogate cannot be sent as UTF-8: a client's encoder makes it U+FFFD, refused below too.
      for (const name of ['Pe\u0000ars', 'Pe\ud800ars']) {
        const answer = await send(multipart('XyZ', [field('name', name), ...fields.slice(1)]));
        rejected(t, answer, 400, 'VALIDATION_FAILED');
      }
      const file = `Content-Disposition: form-data; name="image"; filename="a\u0000.jpg"\r\nContent-Type: image/jpeg\r\n\r\nxx`;
      rejected(t, await send(multipart('XyZ', [...fields, file])), 400, 'VALIDATION_FAILED');
      const latin1 = Buffer.concat([Buffer.from(`--XyZ\r\n${field('name', 'Cr')}`), Buffer.from([0xe8]), Buffer.from(`me\r\n${multipart('XyZ', fields.slice(1)).slice(0)}`)]);
      const notUtf8 = await send(latin1);
      rejected(t, notUtf8, 400, 'VALIDATION_FAILED');
      t.match(notUtf8.body.error.details, [{ path: 'body.name' }]);
      rejected(t, await send(good, 'multipart/form-data'), 400, 'VALIDATION_FAILED');
      rejected(t, await send(good.slice(0, good.length - 20)), 400, 'VALIDATION_FAILED');
      rejected(t, await send('--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nPea'), 400, 'VALIDATION_FAILED');
      rejected(t, await send('just words'), 400, 'VALIDATION_FAILED');
    });

    t.test('a date outside the years 2000–2100 is 400, never a 500 from the store', async (t) => {
      const dates = ['-271821-04-20T00:00:00Z', '0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '+010000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2101-01-01', 'yesterday'];
      for (const date of dates) {
        for (const name of ['from', 'to']) {
          const answer = await shop.call('GET', `/api/admin/orders?${name}=${encodeURIComponent(date)}`, { token: admin });
          rejected(t, answer, 400, 'VALIDATION_FAILED');
          t.match(answer.body.error.details, [{ path: `query.${name}`, message: /^(not a date or date-time: give a date such as 2026-01-31|a date in the years 2000–2100)/ }], `${name}=${date}`);
        }
      }
      for (const date of ['2026-02-30', '2026-01-31T25:00:00Z', '31/01/2026']) {
        const answer = await shop.call('GET', `/api/admin/orders?from=${encodeURIComponent(date)}`, { token: admin });
        t.match(answer.body.error.details, [{ path: 'query.from', message: /^not a date or date-time: give a date such as 2026-01-31, or a date-time such as/ }], date);
      }
      for (const date of ['2000-01-01T00:00:00Z', '2100-12-31T23:59:59.999Z', '2026-06-01', '2026-06-01T12:00', '2026-06-01T12:00:00+02:00']) {
        t.equal((await shop.call('GET', `/api/admin/orders?from=${encodeURIComponent(date)}`, { token: admin })).status, 200, `${date} is in range`);
      }
    });

    t.test('and nothing changed', async (t) => {
      t.equal(await userCount(), before.users);
      t.same(await annNow(), before.ann);
      t.equal(await productCount(), before.products, 'no product was created');
      t.same(await categoriesNow(), before.categories, 'no category was created');
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } })).status, 200);
    });
  });
}
