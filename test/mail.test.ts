import { randomBytes } from 'node:crypto';
import t from 'tap';
import { adminToken, eventually, newCustomer, startShop, uniqueEmail } from './helpers/shop.js';
import { linkToken, startSmtp } from './helpers/smtp.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const evil = '<img src=x onerror=alert(1)>';

for (const target of targets) {
  t.test(`mail over HTTP on ${target.name}`, async (t) => {
    const smtp = await startSmtp();
    t.teardown(() => smtp.close());
    const shop = await startShop(target, {
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://shop.test',
      SHOP_NAME: 'Fresh & Co',
      REQUIRE_VERIFIED_EMAIL: 'true',
      ABANDONED_CART_HOURS: '0.0002',
    });
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const made = await shop.call('POST', '/api/products', {
      token: admin,
      body: { name: `<b>Tom & Jerry's</b> ${randomBytes(2).toString('hex')}`, category: 'pantry', priceCents: 250, stock: 3 },
    });
    const product = made.body.product as { id: string; name: string };

    // A customer with an evil name, registered and logged in.
    const email = uniqueEmail('eve');
    const password = 'correct horse 1';
    t.equal((await shop.call('POST', '/api/auth/register', { body: { email, password, name: evil } })).status, 201);
    const login = await shop.call('POST', '/api/auth/login', { body: { email, password } });
    const token = login.body.accessToken as string;

    await t.test('registration: a welcome with the verification link, names escaped', async (t) => {
      const mail = await smtp.find(email, /Welcome/);
      t.match(mail.subject, /^Welcome, please confirm your email – Fresh & Co$/);
      t.match(mail.from?.text, /Fresh & Co/);
      t.ok(mail.messageId?.length, 'a Message-ID');
      t.notMatch(mail.html || '', /<img/, 'no markup from the name in the HTML part');
      t.match(mail.html || '', /&lt;img src=x onerror=alert\(1\)&gt;/, 'the name as text');
      t.match(mail.html || '', /Fresh &amp; Co/, "the shop's name escaped too");
      t.match(mail.text, `Hello ${evil},`, 'the text part carries the name as it is');
      t.match(mail.text, /https:\/\/shop\.test\/verify-email\?token=/);
      t.equal((await shop.call('GET', '/api/users/me', { token })).body.user.emailVerified, false);
    });

    await t.test('REQUIRE_VERIFIED_EMAIL: no order before the link is opened', async (t) => {
      t.match(
        await shop.call('POST', '/api/orders', { token, body: { address }, headers: { 'idempotency-key': 'k1' } }),
        { status: 422, body: { error: { code: 'EMAIL_NOT_VERIFIED' } } },
      );
      const verifyToken = linkToken(await smtp.find(email, /Welcome/), '/verify-email');
      t.equal((await shop.call('POST', '/api/auth/verify-email', { body: { token: verifyToken } })).status, 204);
      t.match(await shop.call('POST', '/api/auth/verify-email', { body: { token: verifyToken } }), { status: 400, body: { error: { code: 'INVALID_TOKEN' } } }, 'once');
      t.equal((await shop.call('GET', '/api/users/me', { token })).body.user.emailVerified, true);
      t.match(await shop.call('POST', '/api/auth/verify-email/resend', { token }), { status: 202 }, 'a resend when verified sends nothing');
      const resends = [];
      for (let i = 0; i < 5; i++) resends.push((await shop.call('POST', '/api/auth/verify-email/resend', { token })).status);
      t.same(resends, [202, 202, 202, 202, 429], 'resends are limited (RESET_MAX_PER_EMAIL, 5)');
      t.equal((await shop.call('POST', '/api/auth/verify-email/resend')).status, 401, 'for a logged-in customer');
    });

    await t.test('an order: confirmed with lines and total, cancelled with the reason in words', async (t) => {
      await shop.call('POST', '/api/cart/items', { token, body: { productId: product.id, quantity: 2 } });
      const placed = await shop.call('POST', '/api/orders', { token, body: { address }, headers: { 'idempotency-key': 'k2' } });
      t.equal(placed.status, 202);
      const short = placed.body.order.id.slice(-8);
      const received = await smtp.find(email, new RegExp(`We received your order ${short}`));
      t.ok(received, 'order received');
      const confirmed = await smtp.find(email, new RegExp(`Your order ${short} is confirmed`));
      t.match(confirmed.text, /2 × <b>Tom & Jerry's<\/b>/, 'the line, as text');
      t.match(confirmed.text, /Total: \$5\.00/, 'the total in the shop currency');
      t.notMatch(confirmed.html || '', /<b>Tom/, 'the product name escaped in HTML');
      t.match(confirmed.html || '', /&lt;b&gt;Tom &amp; Jerry&#39;s&lt;\/b&gt;/);

      // Two more than the shelf holds: out of stock.
      await shop.call('POST', '/api/cart/items', { token, body: { productId: product.id, quantity: 2 } });
      const second = await shop.call('POST', '/api/orders', { token, body: { address }, headers: { 'idempotency-key': 'k3' } });
      const cancelled = await smtp.find(email, new RegExp(`Your order ${second.body.order.id.slice(-8)} was cancelled`));
      t.match(cancelled.text, /a product in it ran out of stock/);
    });

    await t.test('a new email: a verification to it, a notice to the old one', async (t) => {
      const ann = await newCustomer(shop, 'Ann');
      const next = uniqueEmail('ann-new');
      t.match(await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, body: { email: next } }), { status: 400 }, 'needs the password');
      t.match(
        await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, body: { email: next, currentPassword: 'wrong password!' } }),
        { status: 403, body: { error: { code: 'WRONG_PASSWORD' } } },
      );
      t.match(await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, body: { email, currentPassword: ann.password } }), { status: 409, body: { error: { code: 'EMAIL_TAKEN' } } });
      const changed = await shop.call('PATCH', '/api/users/me', { token: ann.accessToken, body: { email: next, currentPassword: ann.password } });
      t.match(changed.body.user, { email: next, emailVerified: false });
      const notice = await smtp.find(ann.email, /Your email address was changed/);
      t.match(notice.text, next);
      const verify = await smtp.find(next, /Confirm your email/);
      t.equal((await shop.call('POST', '/api/auth/verify-email', { body: { token: linkToken(verify, '/verify-email') } })).status, 204);
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).body.user.emailVerified, true);
    });

    await t.test('an abandoned cart: one reminder per cart state, only when opted in', async (t) => {
      const internal = { 'x-internal-token': shop.gateway.deps!.config.internalToken ?? '' };
      const remind = async () => (await shop.call('POST', '/function/remind-abandoned-carts', { headers: internal, body: {} })).body;
      const [optedIn, not] = [await newCustomer(shop, 'Opt'), await newCustomer(shop, 'Nope')];
      t.equal((await shop.call('GET', '/api/users/me', { token: not.accessToken })).body.user.marketingEmails, false, 'off by default');
      t.equal((await shop.call('PATCH', '/api/users/me', { token: optedIn.accessToken, body: { marketingEmails: true } })).body.user.marketingEmails, true);
      for (const who of [optedIn, not]) await shop.call('POST', '/api/cart/items', { token: who.accessToken, body: { productId: product.id, quantity: 1 } });
      await eventually(async () => (await remind()).reminded > 0 || null, 30);
      const mail = await smtp.find(optedIn.email, /Your cart is waiting/);
      t.match(mail.text, product.name);
      t.same(await remind(), { idle: (await remind()).idle, reminded: 0 }, 'the same state is not reminded again');
      await shop.call('POST', '/api/cart/items', { token: optedIn.accessToken, body: { productId: product.id, quantity: 1 } });
      await eventually(async () => (await remind()).reminded > 0 || null, 30);
      await eventually(async () => smtp.to(optedIn.email).filter((m) => /cart is waiting/.test(m.subject ?? '')).length === 2 || null);
      t.equal(smtp.to(optedIn.email).filter((m) => /cart is waiting/.test(m.subject ?? '')).length, 2, 'a changed cart is a new state');
      t.equal(smtp.to(not.email).filter((m) => /cart is waiting/.test(m.subject ?? '')).length, 0, 'nothing without opting in');
    });
  });
}
