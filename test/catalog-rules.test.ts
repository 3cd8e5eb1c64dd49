import t from 'tap';
import { adminToken, captureEvents, newCustomer, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

/** The catalog's rules over HTTP: categories by slug, search relevance, availability, one currency (catalog.test.ts has the rest). */

for (const note of skippedTargets()) t.comment(note);

const apple = { name: 'Gala apples', description: 'Crisp and sweet, from Washington.', category: 'fruit', priceCents: 299, stock: 40, unit: 'kg' };

for (const target of targets) {
  t.test(`catalog rules over HTTP on ${target.name}`, async (t) => {
    const shop: Shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    const customer = (await newCustomer(shop)).accessToken;
    const as = (token: string) => ({ token });
    const create = async (body: object) => (await shop.call('POST', '/api/products', { ...as(admin), body })).body.product;
    t.equal((await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Fruit' } })).status, 201);

    t.test('categories: read by slug, renamed, moved to a new slug with their products, deleted once empty', async (t) => {
      const published = await captureEvents(shop, ['category.*']);
      t.teardown(published.stop);
      const made = await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Spices' } });
      t.equal(made.status, 201);
      t.match((await shop.call('GET', '/api/categories/spices')).body, { category: { name: 'Spices', slug: 'spices' } });
      t.equal((await shop.call('GET', '/api/categories/no-such')).status, 404);
      const pepper = await create({ ...apple, name: 'Black pepper', category: 'spices' });
      const renamed = await shop.call('PATCH', '/api/categories/spices', { ...as(admin), body: { name: 'Spices & herbs' } });
      t.match(renamed.body.category, { name: 'Spices & herbs', slug: 'spices' }, 'a new name keeps the slug');
      t.equal((await shop.call('PATCH', '/api/categories/spices', { ...as(customer), body: { name: 'X' } })).status, 403);
      t.equal((await shop.call('PATCH', '/api/categories/spices', { ...as(admin), body: {} })).status, 400);
      const taken = await shop.call('PATCH', '/api/categories/spices', { ...as(admin), body: { slug: 'fruit' } });
      t.equal(taken.status, 409);
      t.equal(taken.body.error.code, 'SLUG_TAKEN');
      const moved = await shop.call('PATCH', '/api/categories/spices', { ...as(admin), body: { slug: 'herbs' } });
      t.match(moved.body.category, { slug: 'herbs' });
      t.equal((await shop.call('GET', `/api/products/${pepper.id}`)).body.product.category, 'herbs', 'its products moved along');
      t.equal((await shop.call('GET', '/api/products?category=herbs')).body.total, 1);
      const inUse = await shop.call('DELETE', '/api/categories/herbs', as(admin));
      t.equal(inUse.status, 409);
      t.equal(inUse.body.error.code, 'CATEGORY_IN_USE');
      await shop.call('DELETE', `/api/products/${pepper.id}`, as(admin));
      t.equal((await shop.call('DELETE', '/api/categories/herbs', as(admin))).status, 204);
      t.equal((await shop.call('GET', '/api/categories/herbs')).status, 404);
      t.notOk((await shop.call('GET', '/api/categories')).body.items.some((c: { slug: string }) => c.slug === 'herbs'), 'no stale list');
      t.equal((await shop.call('DELETE', '/api/categories/herbs', as(admin))).status, 404);
      for (const type of ['category.created', 'category.updated', 'category.deleted']) t.ok(await published.find((e) => e.type === type), `${type} published`);
    });

    t.test('search relevance: a name before a description, a whole word before a prefix', async (t) => {
      await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Tropical' } });
      for (const [name, description] of [
        ['Bananas', 'Yellow and sweet'],
        ['Banana bread', 'Baked with ripe bananas'],
        ['Mango', 'Riper than bananas'],
      ]) {
        await create({ ...apple, name, description, category: 'tropical' });
      }
      const names = async (query: string) => (await shop.call('GET', `/api/products?category=tropical&${query}`)).body.items.map((p: { name: string }) => p.name);
      t.same(await names('q=bananas'), ['Bananas', 'Mango', 'Banana bread'], 'Bananas before Banana bread');
      t.same(await names('q=bananas&sort=relevance'), ['Bananas', 'Mango', 'Banana bread']);
      t.same(await names('q=bananas&sort=name'), ['Banana bread', 'Bananas', 'Mango'], 'another sort when asked');
      t.same(await names('sort=relevance'), ['Mango', 'Banana bread', 'Bananas'], 'no words: newest');
    });

    t.test('availability: unavailable products are not listed, still readable, listed for admins who ask', async (t) => {
      await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Seasonal' } });
      const shown = await create({ ...apple, name: 'Pumpkin', category: 'seasonal' });
      const hidden = await create({ ...apple, name: 'Chestnuts', category: 'seasonal', available: false });
      const names = async (query: string, token?: string) =>
        (await shop.call('GET', `/api/products?category=seasonal&${query}`, { token })).body.items?.map((p: { name: string }) => p.name);
      t.same(await names(''), ['Pumpkin'], 'the public listing');
      t.match((await shop.call('GET', `/api/products/${hidden.id}`)).body.product, { name: 'Chestnuts', available: false }, 'readable by id');
      t.same(await names('available=false', admin), ['Chestnuts']);
      t.same(await names('available=all&sort=name', admin), ['Chestnuts', 'Pumpkin']);
      for (const token of [customer, undefined, 'not-a-token']) {
        t.equal((await shop.call('GET', '/api/products?available=all', { token })).status, 403, 'admins only');
      }
      await shop.call('PATCH', `/api/products/${hidden.id}`, { ...as(admin), body: { available: true } });
      t.same(await names('sort=name'), ['Chestnuts', 'Pumpkin'], 'listed again once available');
      t.ok(shown);
    });

    t.test('one shop currency: a product in another is refused', async (t) => {
      const other = await shop.call('POST', '/api/products', { ...as(admin), body: { ...apple, name: 'Euro apples', currency: 'EUR' } });
      t.equal(other.status, 422);
      t.equal(other.body.error.code, 'CURRENCY_MISMATCH');
      const product = await create({ ...apple, name: 'Dollar apples' });
      t.equal(product.currency, 'USD', "the shop's currency by default");
      const change = await shop.call('PATCH', `/api/products/${product.id}`, { ...as(admin), body: { currency: 'GBP' } });
      t.equal(change.status, 422);
      t.equal((await shop.call('GET', `/api/products/${product.id}`)).body.product.currency, 'USD', 'unchanged');
    });
  });
}
