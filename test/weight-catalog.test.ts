import t from 'tap';
import { adminToken, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

/** Products sold by weight in the catalog: create, update, answers, the listing's price sort (weight-orders.test.ts: carts, orders, packing). */

for (const note of skippedTargets()) t.comment(note);

for (const target of targets) {
  t.test(`products sold by weight over HTTP on ${target.name}`, async (t) => {
    const shop: Shop = await startShop(target);
    t.teardown(() => shop.close());
    const token = await adminToken(shop);
    t.equal((await shop.call('POST', '/api/categories', { token, body: { name: 'Deli' } })).status, 201);
    const post = (body: object) => shop.call('POST', '/api/products', { token, body: { category: 'deli', stock: 5000, ...body } });

    const comte = await post({ name: 'Comté', by: 'weight', pricePerKgCents: 2990, stepGrams: 100, minGrams: 200, unit: 'kg' });
    t.equal(comte.status, 201, comte.text);
    const pears = await post({ name: 'Pears', by: 'weight', pricePerKgCents: 450, typicalGrams: 180 });
    const jam = await post({ name: 'Jam', priceCents: 399, stock: 10 });
    const ham = await post({ name: 'Ham', by: 'weight', pricePerKgCents: 1200, stepGrams: 50 });

    t.test('a weight product answers its price per kilogram and its terms; a piece product says so', async (t) => {
      t.match(comte.body.product, { by: 'weight', priceCents: 2990, pricePerKgCents: 2990, stepGrams: 100, minGrams: 200, stock: 5000, onHand: 5000 });
      t.notOk('typicalGrams' in comte.body.product);
      t.match(pears.body.product, { by: 'weight', pricePerKgCents: 450, stepGrams: 100, minGrams: 100, typicalGrams: 180 }, 'defaults: 100 g steps from one step');
      t.match(jam.body.product, { by: 'piece', priceCents: 399 });
      for (const key of ['pricePerKgCents', 'stepGrams', 'minGrams', 'typicalGrams']) t.notOk(key in jam.body.product, key);
      const read = await shop.call('GET', `/api/products/${comte.body.product.id}`);
      t.same(read.body.product, comte.body.product, 'read back as created');
    });

    t.test('the multipart create path takes the weight fields too', async (t) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ name: 'Olives', category: 'deli', by: 'weight', pricePerKgCents: '1590', stepGrams: '250', minGrams: '250', stock: '2000' })) form.set(k, v);
      const created = await shop.call('POST', '/api/products', { token, form });
      t.equal(created.status, 201, created.text);
      t.match(created.body.product, { by: 'weight', pricePerKgCents: 1590, stepGrams: 250, minGrams: 250 });
    });

    t.test('bad selling fields: 400 or 422 with a code, nothing created', async (t) => {
      const before = (await shop.call('GET', '/api/products?category=deli&limit=100')).body.total;
      const refused = [
        [{ name: 'A', by: 'weight', priceCents: 100 }, 400],
        [{ name: 'B', by: 'weight' }, 400],
        [{ name: 'C', pricePerKgCents: 100 }, 400],
        [{ name: 'D', priceCents: 100, stepGrams: 100 }, 400],
        [{ name: 'E', by: 'weight', pricePerKgCents: 100, stepGrams: 100, minGrams: 150 }, 400],
        [{ name: 'F', by: 'weight', pricePerKgCents: 100, stepGrams: 0 }, 400],
        [{ name: 'G', by: 'weight', pricePerKgCents: 100, stepGrams: 2.5 }, 400],
        [{ name: 'H', by: 'gram', pricePerKgCents: 100 }, 400],
      ] as const;
      for (const [body, status] of refused) {
        const answer = await post(body);
        t.equal(answer.status, status, JSON.stringify(body));
        t.equal(answer.body.error.code, 'VALIDATION_FAILED');
      }
      t.equal((await shop.call('GET', '/api/products?category=deli&limit=100')).body.total, before, 'nothing created');
    });

    t.test('updates: the price per kilogram and the terms; the wrong kind of field is 422, nothing changed', async (t) => {
      const id = ham.body.product.id;
      const patch = (body: object, which = id) => shop.call('PATCH', `/api/products/${which}`, { token, body });
      const changed = await patch({ pricePerKgCents: 1350, stepGrams: 100, minGrams: 300, typicalGrams: 90 });
      t.equal(changed.status, 200, changed.text);
      t.match(changed.body.product, { priceCents: 1350, pricePerKgCents: 1350, stepGrams: 100, minGrams: 300, typicalGrams: 90 });
      const untyped = await patch({ typicalGrams: null });
      t.notOk('typicalGrams' in untyped.body.product, 'null removes the typical weight');
      const price = await patch({ priceCents: 10 });
      t.equal(price.status, 422);
      t.equal(price.body.error.code, 'SOLD_BY_WEIGHT');
      const offStep = await patch({ minGrams: 250 });
      t.equal(offStep.status, 400, 'a minimum off the step');
      const onPiece = await patch({ pricePerKgCents: 10 }, jam.body.product.id);
      t.equal(onPiece.status, 422);
      t.equal(onPiece.body.error.code, 'SOLD_BY_PIECE');
      t.equal((await patch({ by: 'piece' })).status, 400, 'how a product is sold never changes');
      t.match((await shop.call('GET', `/api/products/${id}`)).body.product, { pricePerKgCents: 1350, minGrams: 300 }, 'nothing changed');
      t.match((await shop.call('GET', `/api/products/${jam.body.product.id}`)).body.product, { priceCents: 399 });
    });

    t.test('the price sort and filters compare unit prices with prices per kilogram', async (t) => {
      const list = async (query: string) =>
        ((await shop.call('GET', `/api/products?category=deli&${query}`)).body.items as { name: string }[]).map((p) => p.name);
      t.same(await list('sort=price'), ['Jam', 'Pears', 'Ham', 'Olives', 'Comté']);
      t.same(await list('sort=-price&maxPrice=1400'), ['Ham', 'Pears', 'Jam']);
      t.same(await list('minPrice=1500&sort=name'), ['Comté', 'Olives']);
    });
  });
}
