import { randomBytes } from 'node:crypto';
import t from 'tap';
import { adminToken, eventually, newCustomer, startShop, uniqueEmail, type Answer } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

/**
 * Every limit holds when the same request arrives many times at once: the store makes the
 * count and the write one step, so the burst ends where requests one by one would.
 */
const atOnce = <T>(n: number, request: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => request(i)));
const statuses = (answers: Answer[]) => {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.status < 300 ? String(a.status) : `${a.status} ${a.body?.error?.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};
const address = (i: number) => ({ street: `${i} Main St`, city: 'Springfield', postalCode: '12345', country: 'US' });

interface Person {
  email: string;
  password: string;
}

for (const target of targets) {
  t.test(`rules under concurrency on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    const as = (token: string) => ({ token });
    await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Limits', slug: 'limits' } });
    const product = async (category = 'limits') => {
      const created = await shop.call('POST', '/api/products', {
        ...as(admin),
        body: { name: `Item ${randomBytes(4).toString('hex')}`, category, priceCents: 100, stock: 50, unit: 'piece' },
      });
      if (created.status !== 201) throw new Error(`product: ${created.text}`);
      return created.body.product.id as string;
    };
    // Enough products to go past the wishlist's 200, made ten at a time.
    const products: string[] = [];
    while (products.length < 210) products.push(...(await atOnce(10, () => product())));

    t.test('100 addresses at once: exactly 20 are stored', async (t) => {
      const ann = await newCustomer(shop);
      const answers = await atOnce(100, (i) => shop.call('POST', '/api/users/me/addresses', { ...as(ann.accessToken), body: address(i) }));
      t.same(statuses(answers), { 201: 20, '422 TOO_MANY_ADDRESSES': 80 });
      const me = await shop.call('GET', '/api/users/me', as(ann.accessToken));
      t.equal(me.body.user.addresses.length, 20);
      t.equal(new Set(me.body.user.addresses.map((a: { id: string }) => a.id)).size, 20, 'twenty different ones');
    });

    t.test('the same email registered 50 times at once: one account', async (t) => {
      const email = uniqueEmail('twin');
      const answers = await atOnce(50, (i) =>
        shop.call('POST', '/api/auth/register', { body: { email: i % 2 ? email : email.toUpperCase(), password: 'long enough 1', name: 'Twin' } }),
      );
      t.same(statuses(answers), { 201: 1, '409 EMAIL_TAKEN': 49 });
    });

    t.test('a refresh token sent 50 times at once: one new pair, and the reuse ends the session', async (t) => {
      const ann = await newCustomer(shop);
      const answers = await atOnce(50, () => shop.call('POST', '/api/auth/refresh', { body: { refreshToken: ann.refreshToken } }));
      t.same(statuses(answers), { 200: 1, '401 UNAUTHENTICATED': 49 });
    });

    t.test('60 products into a cart at once: exactly 50 lines', async (t) => {
      const ann = await newCustomer(shop);
      const answers = await atOnce(60, (i) => shop.call('POST', '/api/cart/items', { ...as(ann.accessToken), body: { productId: products[i], quantity: 1 } }));
      t.same(statuses(answers), { 200: 50, '422 CART_FULL': 10 });
      t.equal((await shop.call('GET', '/api/cart', as(ann.accessToken))).body.items.length, 50);
    });

    t.test('one of a product added 100 times at once: exactly 99', async (t) => {
      const ann = await newCustomer(shop);
      const answers = await atOnce(100, () => shop.call('POST', '/api/cart/items', { ...as(ann.accessToken), body: { productId: products[0], quantity: 1 } }));
      t.same(statuses(answers), { 200: 99, '422 QUANTITY_LIMIT': 1 });
      t.match((await shop.call('GET', '/api/cart', as(ann.accessToken))).body.items, [{ productId: products[0], quantity: 99 }]);
    });

    t.test('210 products wished for at once: exactly 200', async (t) => {
      const ann = await newCustomer(shop);
      const answers = await atOnce(210, (i) => shop.call('PUT', `/api/wishlist/${products[i]}`, as(ann.accessToken)));
      t.same(statuses(answers), { 200: 200, '422 WISHLIST_FULL': 10 });
      t.equal((await shop.call('GET', '/api/wishlist', as(ann.accessToken))).body.items.length, 200);
    });

    t.test('a category deleted while 50 products are created and moved into it: never a product in a deleted category', async (t) => {
      for (let round = 0; round < 3; round++) {
        const slug = `burst-${round}`;
        await shop.call('POST', '/api/categories', { ...as(admin), body: { name: `Burst ${round}`, slug } });
        const movers = await atOnce(10, () => product());
        const writing = [
          ...Array.from({ length: 40 }, () =>
            shop.call('POST', '/api/products', { ...as(admin), body: { name: 'Racer', category: slug, priceCents: 100, stock: 1, unit: 'piece' } }),
          ),
          ...movers.map((id) => shop.call('PATCH', `/api/products/${id}`, { ...as(admin), body: { category: slug } })),
        ];
        // The deletion sent amid the writes (a different place each round).
        void writing.splice(10 + round * 15, 0, shop.call('DELETE', `/api/categories/${slug}`, as(admin)));
        const answers = await Promise.all(writing);
        const [deleted] = answers.splice(10 + round * 15, 1);
        const writes = answers;
        const counts = statuses(writes);
        const stored = (counts[201] ?? 0) + (counts[200] ?? 0);
        t.equal(stored + (counts['422 UNKNOWN_CATEGORY'] ?? 0), 50, `round ${round}: each write stored or refused as UNKNOWN_CATEGORY (${JSON.stringify(counts)})`);
        const listed = await shop.call('GET', `/api/products?category=${slug}&limit=100`);
        t.equal(listed.body.total, stored, 'every stored product is in the category');
        if (deleted.status === 204) {
          t.equal(stored, 0, `round ${round}: the category went first, so nothing was put in it`);
          t.equal((await shop.call('GET', `/api/categories/${slug}`)).status, 404);
        } else {
          t.match(deleted, { status: 409, body: { error: { code: 'CATEGORY_IN_USE' } } }, `round ${round}: in use`);
          t.equal((await shop.call('GET', `/api/categories/${slug}`)).status, 200, 'and still there');
        }
      }
    });

    t.test('an order moved 50 times at once moves once', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await product();
      const place = async () => {
        await shop.call('POST', '/api/cart/items', { ...as(ann.accessToken), body: { productId: rice, quantity: 2 } });
        const placed = await shop.call('POST', '/api/orders', { ...as(ann.accessToken), body: { address: address(1) }, headers: { 'idempotency-key': randomBytes(8).toString('hex') } });
        const id = placed.body.order.id as string;
        const order = await eventually(async () => {
          const now = (await shop.call('GET', `/api/orders/${id}`, as(ann.accessToken))).body.order;
          return now.status === 'pending' ? null : now;
        }, 60);
        t.equal(order?.status, 'confirmed');
        return id;
      };
      const stock = async () => (await shop.call('GET', `/api/products/${rice}`)).body.product.stock as number;

      const shipped = await place();
      const ships = await atOnce(50, () => shop.call('PATCH', `/api/orders/${shipped}/status`, { ...as(admin), body: { status: 'shipped' } }));
      t.same(statuses(ships), { 200: 1, '422 INVALID_TRANSITION': 49 });
      const history = (await shop.call('GET', `/api/orders/${shipped}`, as(admin))).body.order.history;
      t.equal(history.filter((h: { status: string }) => h.status === 'shipped').length, 1, 'one shipped entry');

      const cancelled = await place();
      t.equal(await stock(), 46);
      const cancels = await atOnce(50, () => shop.call('POST', `/api/orders/${cancelled}/cancel`, as(ann.accessToken)));
      t.same(statuses(cancels), { 200: 1, '422 INVALID_TRANSITION': 49 });
      t.equal(await eventually(async () => ((await stock()) === 48 ? 48 : 0)), 48, 'the stock came back once');
    });

    t.test("login: only failures count, so the owner's own logins never lock them out", async (t) => {
      const ann = await newCustomer(shop);
      const login = (password: string, ip: string) => shop.call('POST', '/api/auth/login', { body: { email: ann.email, password }, headers: { 'x-forwarded-for': ip } });
      // More logins than the per-account ceiling (50), from the owner's own address.
      const own = [];
      for (let i = 0; i < 55; i++) own.push((await login(ann.password, '10.20.0.1')).status);
      t.same(statuses(own.map((status) => ({ status }) as Answer)), { 200: 55 }, 'the right password never counts');

      // Wrong passwords from five addresses at once, just under the ceiling: the owner still logs in.
      const guesses = await atOnce(45, (i) => login('wrong password', `10.21.0.${i % 5}`));
      t.same(statuses(guesses), { '401 UNAUTHENTICATED': 45 });
      t.equal((await login(ann.password, '10.20.0.1')).status, 200, 'the owner, after 45 failures');

      // Their login started the count again; a burst from six addresses meets the ceiling exactly.
      const burst = await atOnce(60, (i) => login('wrong password', `10.22.0.${i % 6}`));
      t.same(statuses(burst), { '401 UNAUTHENTICATED': 50, '429 RATE_LIMITED': 10 }, '50 failures, then refused');
      // The price of a ceiling per account (README, Security): the owner waits for the window too.
      const owner = await login(ann.password, '10.20.0.1');
      t.equal(owner.status, 429);
      t.ok(Number(owner.headers.get('retry-after')) > 0, 'with Retry-After');
    });

    // Last: these take the configured admin away; `current` is the admin left after each.
    const promote = async (token: string) => {
      const who = await newCustomer(shop, 'Deputy');
      const promoted = await shop.call('PATCH', `/api/users/${who.id}`, { ...as(token), body: { role: 'admin' } });
      if (promoted.status !== 200) throw new Error(`promote: ${promoted.text}`);
      const login = await shop.call('POST', '/api/auth/login', { body: { email: who.email, password: who.password } });
      return { email: who.email, password: who.password, id: who.id, token: login.body.accessToken as string };
    };
    type Admin = Awaited<ReturnType<typeof promote>>;
    /** The one of `people` still an admin, logged in anew. */
    const survivor = async (people: Person[]): Promise<Admin> => {
      for (const p of people) {
        const login = await shop.call('POST', '/api/auth/login', { body: { email: p.email, password: p.password } });
        if (login.status === 200 && login.body.user.role === 'admin') return { ...p, id: login.body.user.id, token: login.body.accessToken };
      }
      throw new Error('no admin left');
    };
    const adminCount = async (token: string) =>
      (await shop.call('GET', '/api/users?limit=100', as(token))).body.items.filter((u: { role: string }) => u.role === 'admin').length as number;
    let current: Admin;

    t.test('eleven admins deleting their own accounts at once: exactly one stays', async (t) => {
      const first = await survivor([shop.admin]);
      const team = [first, ...(await atOnce(10, () => promote(first.token)))];
      const answers = await atOnce(team.length, (i) => shop.call('DELETE', '/api/users/me', { ...as(team[i].token), body: { currentPassword: team[i].password } }));
      t.same(statuses(answers), { 204: 10, '422 LAST_ADMIN': 1 });
      current = team[answers.findIndex((a) => a.status === 422)];
      current = await survivor([current]);
      t.equal(await adminCount(current.token), 1, 'exactly one admin');
    });

    t.test('two admins deleting each other at once: one stays', async (t) => {
      for (let round = 0; round < 3; round++) {
        const a = current;
        const b = await promote(a.token);
        const answers = await Promise.all([
          shop.call('DELETE', `/api/users/${b.id}`, as(a.token)),
          shop.call('DELETE', `/api/users/${a.id}`, as(b.token)),
        ]);
        const counts = statuses(answers);
        t.equal(counts[204], 1, `round ${round}: one deleted (${JSON.stringify(counts)})`);
        // The other is refused: the last admin, or (when the deletion ended its session first) no longer signed in.
        t.equal((counts['422 LAST_ADMIN'] ?? 0) + (counts['401 UNAUTHENTICATED'] ?? 0), 1, 'the other refused');
        current = await survivor([a, b]);
        t.equal(await adminCount(current.token), 1, 'exactly one admin');
      }
    });

    t.test('two admins demoting each other at once: one stays admin', async (t) => {
      for (let round = 0; round < 3; round++) {
        const a = current;
        const b = await promote(a.token);
        const answers = await Promise.all([
          shop.call('PATCH', `/api/users/${b.id}`, { ...as(a.token), body: { role: 'customer' } }),
          shop.call('PATCH', `/api/users/${a.id}`, { ...as(b.token), body: { role: 'customer' } }),
        ]);
        const counts = statuses(answers);
        t.equal(counts[200], 1, `round ${round}: one demoted (${JSON.stringify(counts)})`);
        const refused = (counts['422 LAST_ADMIN'] ?? 0) + (counts['401 UNAUTHENTICATED'] ?? 0) + (counts['403 FORBIDDEN'] ?? 0);
        t.equal(refused, 1, 'the other refused');
        current = await survivor([a, b]);
        t.equal(await adminCount(current.token), 1, 'exactly one admin');
      }
    });
  });
}
