import t from 'tap';
import { newTokenValue, tokenHash } from '#domain/users/one-time-tokens.js';
import { captureEvents, eventually, newCustomer, startShop, uniqueEmail } from './helpers/shop.js';
import { linkToken, startSmtp } from './helpers/smtp.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const NEW_PASSWORD = 'a brand new passphrase';

for (const target of targets) {
  t.test(`password reset over HTTP on ${target.name}`, async (t) => {
    const smtp = await startSmtp();
    t.teardown(() => smtp.close());
    const shop = await startShop(target, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://shop.test', SHOP_NAME: 'Test <Shop>', RESET_MAX_PER_EMAIL: '4' });
    t.teardown(() => shop.close());

    const ann = await newCustomer(shop, 'Ann');
    const reset = (email: string, ip = '203.0.113.7') => shop.call('POST', '/api/auth/password-reset', { body: { email }, headers: { 'x-forwarded-for': ip } });
    const confirm = (token: string, password = NEW_PASSWORD) => shop.call('POST', '/api/auth/password-reset/confirm', { body: { token, password } });

    await t.test('the answers reveal nothing about which emails exist', async (t) => {
      const known = await reset(ann.email);
      const unknown = await reset(uniqueEmail('nobody'));
      t.equal(known.status, 202);
      t.equal(unknown.status, 202);
      t.same(unknown.body, known.body, 'the same body');
      t.same([...unknown.headers.keys()].filter((h) => h !== 'x-call-id' && h !== 'date'), [...known.headers.keys()].filter((h) => h !== 'x-call-id' && h !== 'date'), 'the same headers');
      const mail = await smtp.find(ann.email, /Reset your password/);
      t.equal(mail.from?.value[0].name, 'Test <Shop>', 'from the shop, by its name');
      t.equal(smtp.to(ann.email).filter((m) => /Reset/.test(m.subject ?? '')).length, 1, 'one mail, to the account');
    });

    await t.test('a reset link works once, ends every session, and the new password logs in', async (t) => {
      const token = linkToken(smtp.to(ann.email).find((m) => /Reset/.test(m.subject ?? ''))!, '/reset-password');
      t.ok(Buffer.from(token, 'base64url').length >= 32, 'at least 32 random bytes');
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).status, 200, 'a session before');

      t.match(await confirm(token, 'password'), { status: 400, body: { error: { code: 'VALIDATION_FAILED' } } }, 'a password the policy refuses');
      const events = await captureEvents(shop, ['user.password_changed']);
      t.teardown(() => events.stop());
      t.equal((await confirm(token)).status, 204, 'the new password is set');
      t.ok(await events.find((e) => (e.data as { userId: string }).userId === ann.id), 'user.password_changed');
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).status, 401, 'the old access token ends');
      t.equal((await shop.call('POST', '/api/auth/refresh', { body: { refreshToken: ann.refreshToken } })).status, 401, 'the old refresh token ends');
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } })).status, 401, 'the old password no longer works');
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: NEW_PASSWORD } })).status, 200, 'the new one does');

      const again = await confirm(token, 'another new passphrase');
      const unknown = await confirm(newTokenValue());
      t.equal(again.status, 400, 'a used token is 400');
      t.same(again.body.error, unknown.body.error, 'with the message of an unknown token');
      t.equal(again.body.error.code, 'INVALID_TOKEN');
    });

    await t.test('an expired token is refused like an unknown one', async (t) => {
      const user = await shop.gateway.deps!.store.users.findByEmail(ann.email);
      const value = newTokenValue();
      const past = new Date(Date.now() - 60_000);
      await shop.gateway.deps!.store.tokens.issue(
        { hash: tokenHash(value), purpose: 'password-reset', userId: user!.id, email: ann.email, expiresAt: past },
        new Date(past.getTime() - 30 * 60_000),
      );
      t.match(await confirm(value), { status: 400, body: { error: { code: 'INVALID_TOKEN' } } });
    });

    await t.test('a new request ends the older links', async (t) => {
      const bob = await newCustomer(shop, 'Bob');
      t.equal((await reset(bob.email)).status, 202);
      const first = linkToken(await smtp.find(bob.email, /Reset/), '/reset-password');
      t.equal((await reset(bob.email)).status, 202);
      const resets = () => smtp.to(bob.email).filter((m) => /Reset/.test(m.subject ?? ''));
      await eventually(async () => resets().length >= 2, 60);
      const mails = resets();
      t.equal(mails.length, 2);
      const second = linkToken(mails[1], '/reset-password');
      t.equal((await confirm(first)).status, 400, 'the first link ended');
      t.equal((await confirm(second)).status, 204, 'the newest works');
    });

    await t.test('100 confirmations with one token at once: one sets the password', async (t) => {
      const cid = await newCustomer(shop, 'Cid');
      await reset(cid.email, '203.0.113.9');
      const token = linkToken(await smtp.find(cid.email, /Reset/), '/reset-password');
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => confirm(token, `${NEW_PASSWORD} ${i}`)));
      t.equal(answers.filter((a) => a.status === 204).length, 1, 'one 204');
      t.equal(answers.filter((a) => a.status === 400).length, 99, '99 are 400');
    });

    await t.test('limited per email (known or not) and per client', async (t) => {
      const email = uniqueEmail('limit');
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push((await reset(email, `198.51.100.${i}`)).status);
      t.same(answers, [202, 202, 202, 202, 429], 'RESET_MAX_PER_EMAIL (4) per email, from any address');
      t.match(await shop.call('POST', '/api/auth/password-reset', { body: { email: 'not an email' } }), { status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
      t.equal((await shop.call('POST', '/api/auth/password-reset', { body: { email, extra: 1 } })).status, 400, 'unknown fields');
      t.equal((await shop.call('POST', '/api/auth/password-reset/confirm', { body: { token: 'short', password: NEW_PASSWORD } })).status, 400);
    });
  });
}
