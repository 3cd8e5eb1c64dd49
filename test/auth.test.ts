import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { adminToken, captureEvents, eventually, newCustomer, startShop, uniqueEmail } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

/** The claims of an access token (its payload), read without checking it. */
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { fam: string };

for (const target of targets) {
  t.test(`auth over HTTP on ${target.name}`, async (t) => {
    // A per-email ceiling low enough to reach in a test, and the default registration limit
    // (the test targets raise it: their customers all register from loopback).
    const shop = await startShop(target, { LOGIN_MAX_PER_EMAIL: '15', REGISTER_MAX_PER_IP: '20' });
    t.teardown(() => shop.close());

    t.test('register, then the same email in another case is taken', async (t) => {
      const email = uniqueEmail('Case');
      const first = await shop.call('POST', '/api/auth/register', {
        body: { email, password: 'long enough 1', name: 'Cas', phone: '+1 555 123 4567' },
      });
      t.equal(first.status, 201);
      t.match(first.body.user, { email, name: 'Cas', phone: '+1 555 123 4567', role: 'customer', addresses: [] });
      t.type(first.body.user.id, 'string');
      t.notOk('passwordHash' in first.body.user, 'no password hash');
      const again = await shop.call('POST', '/api/auth/register', {
        body: { email: email.toUpperCase(), password: 'long enough 1', name: 'Other' },
      });
      t.equal(again.status, 409);
      t.equal(again.body.error.code, 'EMAIL_TAKEN');
    });

    t.test('login: a wrong password and an unknown email answer the same 401', async (t) => {
      const ann = await newCustomer(shop);
      const wrong = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: 'not it at all' } });
      const unknown = await shop.call('POST', '/api/auth/login', { body: { email: uniqueEmail('ghost'), password: 'not it at all' } });
      t.equal(wrong.status, 401);
      t.equal(unknown.status, 401);
      t.same(wrong.body, unknown.body);
      const ok = await shop.call('POST', '/api/auth/login', { body: { email: ann.email.toUpperCase(), password: ann.password } });
      t.equal(ok.status, 200);
      t.match(ok.body, { tokenType: 'Bearer', expiresIn: 900, user: { email: ann.email } });
      const [header] = ok.body.accessToken.split('.');
      t.match(JSON.parse(Buffer.from(header, 'base64url').toString()), { alg: 'EdDSA', kid: /.+/ }, 'asymmetric key with a kid');
    });

    t.test('me answers on the public route and on the gateway path', async (t) => {
      const ann = await newCustomer(shop);
      const viaApi = await shop.call('GET', '/api/users/me', { token: ann.accessToken });
      const viaGateway = await shop.call('GET', '/function/get-me', { token: ann.accessToken });
      t.equal(viaApi.status, 200);
      t.same(viaApi.body, viaGateway.body);
      t.equal(viaApi.body.user.id, ann.id);
      t.equal((await shop.call('GET', '/api/users/me')).status, 401, 'no token');
    });

    t.test('refresh rotates; a used refresh token fails and ends its family', async (t) => {
      const ann = await newCustomer(shop);
      const rotated = await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: ann.refreshToken } });
      t.equal(rotated.status, 200);
      t.not(rotated.body.refreshToken, ann.refreshToken);
      t.equal((await shop.call('GET', '/api/users/me', { token: rotated.body.accessToken })).status, 200);

      const reused = await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: ann.refreshToken } });
      t.equal(reused.status, 401, 'the old refresh token fails');
      const family = await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
      t.equal(family.status, 401, 'and the newer token of the same family too');

      const other = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } });
      const otherRefresh = await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: other.body.refreshToken } });
      t.equal(otherRefresh.status, 200, 'another login (another family) is untouched');
    });

    t.test('logout ends the refresh family and the presented access token', async (t) => {
      const ann = await newCustomer(shop);
      // Used once first, so this process remembers the token as verified: that must not keep it alive.
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).status, 200);
      const out = await shop.call('POST', '/api/auth/logout', { token: ann.accessToken, body: { refreshToken: ann.refreshToken } });
      t.equal(out.status, 204);
      t.equal(out.text, '');
      const me = await shop.call('GET', '/api/users/me', { token: ann.accessToken });
      t.equal(me.status, 401);
      t.equal(me.body.error.code, 'UNAUTHENTICATED');
      t.equal((await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: ann.refreshToken } })).status, 401);
    });

    t.test('customers get 403 on admin routes; an admin promotes a user', async (t) => {
      const ann = await newCustomer(shop);
      const bob = await newCustomer(shop, 'Bob');
      for (const [method, path, body] of [
        ['GET', '/api/users'],
        ['GET', `/api/users/${bob.id}`],
        ['PATCH', `/api/users/${bob.id}`, { role: 'admin' }],
        ['DELETE', `/api/users/${bob.id}`],
      ] as const) {
        const answer = await shop.call(method, path, { token: ann.accessToken, body });
        t.equal(answer.status, 403, `${method} ${path}`);
        t.equal(answer.body.error.code, 'FORBIDDEN');
      }
      const admin = await adminToken(shop);
      const promoted = await shop.call('PATCH', `/api/users/${ann.id}`, { token: admin, body: { role: 'admin' } });
      t.equal(promoted.status, 200);
      t.equal(promoted.body.user.role, 'admin');
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).status, 401, 'old token carried the old role');
      const refreshed = await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: ann.refreshToken } });
      t.equal(refreshed.body.user.role, 'admin');
      const list = await shop.call('GET', '/api/users?limit=100', { token: refreshed.body.accessToken });
      t.equal(list.status, 200, 'the promoted user now lists users');
      t.ok(list.body.items.some((u: { id: string }) => u.id === bob.id));
    });

    t.test('a deleted user cannot log in; forget-user ends every session through user.deleted', async (t) => {
      const published = await captureEvents(shop, ['user.deleted']);
      t.teardown(published.stop);
      const ann = await newCustomer(shop);
      const annAgain = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } });
      const bob = await newCustomer(shop, 'Bob');
      const admin = await adminToken(shop);
      t.equal((await shop.call('DELETE', `/api/users/${bob.id}`, { token: admin })).status, 204);
      t.equal((await shop.call('DELETE', '/api/users/me', { token: ann.accessToken, body: { currentPassword: ann.password } })).status, 204);
      for (const who of [ann, bob]) {
        t.equal((await shop.call('POST', '/api/auth/login', { body: { email: who.email, password: who.password } })).status, 401);
        t.equal((await shop.call('GET', '/api/users/me', { token: who.accessToken })).status, 401);
        t.equal((await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: who.refreshToken } })).status, 401);
        const event = await published.find((e) => (e.data as { userId: string }).userId === who.id);
        t.match(event, { type: 'user.deleted', id: /.+/, occurredAt: /^\d{4}-/, callId: /.+/ }, 'user.deleted published');
      }
      t.equal((await shop.call('GET', `/api/users/${bob.id}`, { token: admin })).status, 404);
      const kv = shop.gateway.deps!.kv;
      for (const token of [ann.accessToken, annAgain.body.accessToken, bob.accessToken]) {
        const revoked = await eventually(() => kv.get(`auth:family-revoked:${claims(token).fam}`));
        t.equal(revoked, '1', 'forget-user revoked the session');
      }
    });

    t.test('a new password ends the other sessions at once, and keeps this one', async (t) => {
      const published = await captureEvents(shop, ['user.password_changed']);
      t.teardown(published.stop);
      const ann = await newCustomer(shop);
      const other = (await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } })).body;
      const changed = await shop.call('PATCH', '/api/users/me', {
        token: ann.accessToken,
        body: { password: 'a brand new one 2', currentPassword: ann.password },
      });
      t.equal(changed.status, 200);
      t.equal((await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: other.refreshToken } })).status, 401, 'the other refresh token fails');
      t.equal((await shop.call('GET', '/api/users/me', { token: other.accessToken })).status, 401, 'and its access token too');
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).status, 200, 'this session goes on');
      const renewed = await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: ann.refreshToken } });
      t.equal(renewed.status, 200, 'and can still be refreshed');
      const event = await published.find((e) => (e.data as { userId: string }).userId === ann.id);
      t.equal(event.type, 'user.password_changed');
      const wrong = await shop.call('PATCH', '/api/users/me', {
        token: renewed.body.accessToken,
        body: { password: 'yet another one 3', currentPassword: 'not the password' },
      });
      t.equal(wrong.status, 403, 'a wrong current password changes nothing');
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: 'a brand new one 2' } })).status, 200);
    });

    t.test('logout ends the access tokens of its session, not only the one presented', async (t) => {
      const ann = await newCustomer(shop);
      const rotated = (await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: ann.refreshToken } })).body;
      const elsewhere = (await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } })).body;
      t.equal((await shop.call('POST', '/api/auth/logout', { token: rotated.accessToken, body: { refreshToken: rotated.refreshToken } })).status, 204);
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).status, 401, 'the older access token of the session');
      t.equal((await shop.call('GET', '/api/users/me', { token: elsewhere.accessToken })).status, 200, 'another session is untouched');
    });

    t.test('login attempts are limited per email and client IP, so a guesser elsewhere cannot lock the owner out', async (t) => {
      const ann = await newCustomer(shop);
      const attacker = { 'x-forwarded-for': '10.1.0.1' };
      const wrong = { email: ann.email, password: 'wrong password' };
      for (let i = 0; i < 10; i++) {
        t.equal((await shop.call('POST', '/api/auth/login', { body: wrong, headers: attacker })).status, 401);
      }
      const refused = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password }, headers: attacker });
      t.equal(refused.status, 429, 'the 11th attempt from that IP, even with the right password');
      t.equal(refused.body.error.code, 'RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      t.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After within the window (${retryAfter})`);
      const owner = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password }, headers: { 'x-forwarded-for': '10.2.0.2' } });
      t.equal(owner.status, 200, 'the owner, from their own network, still logs in');

      // The looser ceiling per email (15 here): failures from anywhere add up to it. The owner's
      // login just now started the account's count again.
      const statuses = [];
      for (let i = 0; i < 17; i++) {
        statuses.push((await shop.call('POST', '/api/auth/login', { body: wrong, headers: { 'x-forwarded-for': `10.3.0.${i}` } })).status);
      }
      t.same(statuses, [...Array(15).fill(401), 429, 429], 'from the 16th failure for the email on, from any IP, refused');
      const delayed = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password }, headers: { 'x-forwarded-for': '10.2.0.2' } });
      t.equal(delayed.status, 429, 'the price of a ceiling per account: the owner waits for the window too');

      const ip = { 'x-forwarded-for': '10.9.9.9' };
      const spray = [];
      for (let i = 0; i < 101; i++) {
        const attempt = await shop.call('POST', '/api/auth/login', { body: { email: uniqueEmail('spray'), password: 'whatever1' }, headers: ip });
        spray.push(attempt.status);
      }
      t.equal(spray.filter((s) => s === 429).length, 1, 'the 101st attempt from one IP is refused');
    });

    t.test('Retry-After says the time left in the window, not the whole window', async (t) => {
      const ann = await newCustomer(shop);
      const from = { 'x-forwarded-for': '10.4.0.1' };
      await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: 'wrong password' }, headers: from });
      await sleep(1100); // the window started at the first attempt: at least a second of it is gone
      const attempt = () => shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: 'wrong password' }, headers: from });
      let last = await attempt();
      for (let i = 1; i < 10; i++) last = await attempt();
      t.equal(last.status, 429);
      const retryAfter = Number(last.headers.get('retry-after'));
      t.ok(retryAfter >= 1 && retryAfter < 900, `${retryAfter} s left of a 900 s window`);
    });

    t.test('a password change counts in the same limit as login: a stolen token cannot guess the password', async (t) => {
      const ann = await newCustomer(shop);
      const thief = { 'x-forwarded-for': '10.5.0.1' };
      const guess = (currentPassword: string) =>
        shop.call('PATCH', '/api/users/me', { token: ann.accessToken, headers: thief, body: { password: 'a brand new secret', currentPassword } });
      for (let i = 0; i < 10; i++) t.equal((await guess(`guess number ${i}`)).status, 403);
      const refused = await guess(ann.password);
      t.equal(refused.status, 429, 'the 11th check, even with the right password');
      t.ok(Number(refused.headers.get('retry-after')) > 0);
      const login = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password }, headers: thief });
      t.equal(login.status, 429, 'login from there is limited too: one count');
      const owner = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } });
      t.equal(owner.status, 200, 'the password is unchanged and the owner logs in');
    });

    t.test('registration is limited per client IP (each one costs a password hash)', async (t) => {
      const from = { 'x-forwarded-for': '10.6.0.1' };
      const register = () =>
        shop.call('POST', '/api/auth/register', { headers: from, body: { email: uniqueEmail('many'), password: 'long enough 1', name: 'Many' } });
      for (let i = 0; i < 20; i++) t.equal((await register()).status, 201);
      const refused = await register();
      t.equal(refused.status, 429);
      t.equal(refused.body.error.code, 'RATE_LIMITED');
      t.ok(Number(refused.headers.get('retry-after')) > 0);
      const elsewhere = await shop.call('POST', '/api/auth/register', { body: { email: uniqueEmail('else'), password: 'long enough 1', name: 'Else' } });
      t.equal(elsewhere.status, 201, 'another address registers');
    });

    t.test('tokens and personal answers carry Cache-Control: no-store', async (t) => {
      const ann = await newCustomer(shop);
      const login = await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } });
      const refreshed = await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
      const me = await shop.call('GET', '/api/users/me', { token: ann.accessToken });
      const viaGateway = await shop.call('GET', '/function/get-me', { token: ann.accessToken });
      const patched = await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, body: { name: 'Annie' } });
      const denied = await shop.call('GET', '/api/users/me');
      for (const [what, answer] of Object.entries({ login, refreshed, me, viaGateway, patched, denied })) {
        t.equal(answer.headers.get('cache-control'), 'no-store', what);
      }
      t.equal((await shop.call('GET', '/api/categories')).headers.get('cache-control'), null, 'public catalog answers may be cached');
    });

    t.test('password policy: 10 characters, not a common password, not the email; the message says why', async (t) => {
      const email = uniqueEmail('policy');
      const register = (password: string) => shop.call('POST', '/api/auth/register', { body: { email, password, name: 'Pol' } });
      for (const [password, why] of [
        ['nine char', /at least 10 characters/],
        ['password123', /most common passwords/],
        ['Qwertyuiop', /most common passwords/],
        [email.toUpperCase(), /email/],
      ] as const) {
        const answer = await register(password);
        t.equal(answer.status, 400, password);
        t.equal(answer.body.error.code, 'VALIDATION_FAILED');
        t.match(answer.body.error.message + JSON.stringify(answer.body.error.details), why);
        t.match(answer.body.error.details, [{ path: 'body.password' }]);
      }
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email, password: 'password123' } })).status, 401, 'nobody was created');

      const ann = await newCustomer(shop);
      const change = (password: string) =>
        shop.call('PATCH', '/api/users/me', { token: ann.accessToken, body: { password, currentPassword: ann.password } });
      const common = await change('1234567890');
      t.equal(common.status, 400);
      t.match(common.body.error.message, /most common passwords/);
      t.equal((await change(ann.email)).status, 400);
      t.equal((await change('a much better one')).status, 200);
    });
  });
}
