import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { fakeJpeg, imageForm, jpeg, png, pngDeclaring, webp } from './helpers/images.js';
import { adminToken, captureEvents, newCustomer, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const apple = { name: 'Gala apples', description: 'Crisp and sweet, from Washington.', category: 'fruit', priceCents: 299, stock: 40, unit: 'kg' };

for (const target of targets) {
  t.test(`catalog over HTTP on ${target.name}`, async (t) => {
    // Few cache entries per catalog version, so a test can reach the bound.
    const shop: Shop = await startShop(target, { CATALOG_CACHE_MAX_ENTRIES: '5' });
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    const customer = (await newCustomer(shop)).accessToken;
    const as = (token: string) => ({ token });
    const create = async (body: object) => (await shop.call('POST', '/api/products', { ...as(admin), body })).body.product;
    const mediaFiles = () => {
      try {
        return readdirSync(join(shop.gateway.deps!.config.dataDir, 'media'));
      } catch {
        return [];
      }
    };

    for (const [name, slug] of [['Fruit', undefined], ['Vegetables', 'veg'], ['Dairy & eggs', undefined]]) {
      const created = await shop.call('POST', '/api/categories', { ...as(admin), body: { name, ...(slug ? { slug } : {}) } });
      t.equal(created.status, 201);
    }

    t.test('categories: listed by everyone, created by admins, slugs unique', async (t) => {
      const list = await shop.call('GET', '/api/categories');
      t.same(list.body.items.map((c: { slug: string }) => c.slug), ['dairy-eggs', 'fruit', 'veg']);
      t.match(list.body.items[0], { id: String, name: 'Dairy & eggs', slug: 'dairy-eggs' });
      const again = await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Fruits', slug: 'fruit' } });
      t.equal(again.status, 409);
      t.equal(again.body.error.code, 'SLUG_TAKEN');
      t.equal((await shop.call('POST', '/api/categories', { ...as(customer), body: { name: 'X' } })).status, 403);
      t.equal((await shop.call('POST', '/api/categories', { body: { name: 'X' } })).status, 401);
      t.equal((await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Bad', slug: 'Not a slug!' } })).status, 400);
      t.equal((await shop.call('GET', '/api/categories')).body.items.length, 3, 'nothing added by the failures');
    });

    t.test('create, read, update and delete a product; every write is seen at once', async (t) => {
      const published = await captureEvents(shop, ['product.*']);
      t.teardown(published.stop);
      const created = await shop.call('POST', '/api/products', { ...as(admin), body: apple });
      t.equal(created.status, 201);
      t.match(created.body.product, { ...apple, onHand: apple.stock, id: String, currency: 'USD', available: true, createdAt: String });
      t.notOk('imageId' in created.body.product);
      const id = created.body.product.id;

      const listBefore = await shop.call('GET', '/api/products?category=fruit');
      t.ok(listBefore.body.items.some((p: { id: string }) => p.id === id));
      t.same((await shop.call('GET', `/api/products/${id}`)).body.product, created.body.product, 'read (now cached)');

      const updated = await shop.call('PATCH', `/api/products/${id}`, { ...as(admin), body: { priceCents: 349, onHand: 0 } });
      t.equal(updated.status, 200);
      t.match(updated.body.product, { priceCents: 349, stock: 0, onHand: 0, name: apple.name });
      t.equal((await shop.call('GET', `/api/products/${id}`)).body.product.priceCents, 349, 'no stale product after the write');
      const listAfter = await shop.call('GET', '/api/products?category=fruit');
      t.equal(listAfter.body.items.find((p: { id: string }) => p.id === id).priceCents, 349, 'no stale listing after the write');

      t.equal((await shop.call('DELETE', `/api/products/${id}`, as(admin))).status, 204);
      t.equal((await shop.call('GET', `/api/products/${id}`)).status, 404, 'deleted: not readable');
      t.notOk((await shop.call('GET', '/api/products?category=fruit')).body.items.some((p: { id: string }) => p.id === id), 'nor listed');
      t.equal((await shop.call('DELETE', `/api/products/${id}`, as(admin))).status, 404);
      t.equal((await shop.call('PATCH', `/api/products/${id}`, { ...as(admin), body: { onHand: 1 } })).status, 404);

      for (const type of ['product.created', 'product.updated', 'product.deleted']) {
        const event = await published.find((e) => e.type === type && JSON.stringify(e.data).includes(id));
        t.ok(event, `${type} published`);
      }
    });

    t.test('bad product input is a clear 4xx and stores nothing', async (t) => {
      const count = async () => (await shop.call('GET', '/api/products?limit=1')).body.total;
      const before = await count();
      const cases: [object, number, string][] = [
        [{ ...apple, priceCents: -1 }, 400, 'negative price'],
        [{ ...apple, priceCents: 2.5 }, 400, 'fractional price'],
        [{ ...apple, priceCents: '299' }, 400, 'price as a string'],
        [{ ...apple, stock: -3 }, 400, 'negative stock'],
        [{ ...apple, stock: 1_000_001 }, 400, 'more than MAX_STOCK'],
        [{ ...apple, onHand: 40 }, 400, 'stock and onHand'],
        [{ ...apple, category: 'nope' }, 422, 'unknown category'],
        [{ ...apple, name: 'x'.repeat(200_000) }, 400, 'a huge name'],
        [{ ...apple, currency: 'dollars' }, 400, 'bad currency'],
        [{ ...apple, extra: true }, 400, 'unknown field'],
        [{ name: 'Only a name' }, 400, 'missing fields'],
      ];
      for (const [body, status, what] of cases) {
        const answer = await shop.call('POST', '/api/products', { ...as(admin), body });
        t.equal(answer.status, status, what);
        t.match(answer.body, { error: { code: String, message: String } });
      }
      const megabytes = JSON.stringify({ ...apple, description: 'x'.repeat(2 * 1024 * 1024) });
      t.equal((await shop.call('POST', '/api/products', { ...as(admin), raw: megabytes })).status, 413, 'megabytes of string');
      t.equal((await shop.call('POST', '/api/products', { ...as(customer), body: apple })).status, 403, 'a customer');
      t.equal(await count(), before, 'nothing stored');

      const product = await create({ ...apple, name: 'Pink Lady apples' });
      t.equal((await shop.call('PATCH', `/api/products/${product.id}`, { ...as(admin), body: { priceCents: -5 } })).status, 400);
      t.equal((await shop.call('PATCH', `/api/products/${product.id}`, { ...as(admin), body: {} })).status, 400, 'an empty change');
      t.equal((await shop.call('PATCH', `/api/products/${product.id}`, { ...as(admin), body: { category: 'nope' } })).status, 422);
      t.same((await shop.call('GET', `/api/products/${product.id}`)).body.product, product, 'unchanged');
      for (const id of ['nope', 'x'.repeat(300), '%24ne']) {
        t.equal((await shop.call('GET', `/api/products/${id}`)).status, 404, `malformed id ${id.slice(0, 10)}`);
      }
      t.equal((await shop.call('DELETE', `/api/products/${product.id}`, as(customer))).status, 403);
    });

    t.test('stock: a stocktake (onHand) and deliveries or losses (stockDelta); stock itself is not written', async (t) => {
      const product = await create({ ...apple, name: 'Stocktake pears', stock: undefined, onHand: 12 });
      t.match(product, { stock: 12, onHand: 12 }, 'created with onHand');
      const patch = (body: object) => shop.call('PATCH', `/api/products/${product.id}`, { ...as(admin), body });
      // Read first, so the cached product must follow each write.
      const numbers = async () => {
        const { stock, onHand } = (await shop.call('GET', `/api/products/${product.id}`)).body.product;
        return { stock, onHand };
      };
      t.same(await numbers(), { stock: 12, onHand: 12 });
      t.match((await patch({ stockDelta: 8 })).body.product, { stock: 20, onHand: 20 }, 'a delivery');
      t.same(await numbers(), { stock: 20, onHand: 20 });
      t.match((await patch({ stockDelta: -5 })).body.product, { stock: 15, onHand: 15 }, 'a loss');
      t.match((await patch({ onHand: 9 })).body.product, { stock: 9, onHand: 9 }, 'a stocktake');
      t.same(await numbers(), { stock: 9, onHand: 9 });

      const refused: [object, number, string, string][] = [
        [{ stock: 30 }, 400, 'VALIDATION_FAILED', 'stock'],
        [{ stock: 30, priceCents: 1 }, 400, 'VALIDATION_FAILED', 'stock with other fields'],
        [{ onHand: 10, stockDelta: 1 }, 400, 'VALIDATION_FAILED', 'onHand and stockDelta'],
        [{ onHand: 1_000_001 }, 400, 'VALIDATION_FAILED', 'a count over the bound'],
        [{ onHand: -1 }, 400, 'VALIDATION_FAILED', 'a negative count'],
        [{ stockDelta: 1.5 }, 400, 'VALIDATION_FAILED', 'a fractional delta'],
        [{ stockDelta: 1_000_000 }, 422, 'STOCK_TOO_LARGE', 'a delivery past the bound'],
        [{ stockDelta: -10, priceCents: 1 }, 422, 'STOCK_NEGATIVE', 'a loss below zero'],
      ];
      for (const [body, status, code, what] of refused) {
        const answer = await patch(body);
        t.equal(answer.status, status, what);
        t.match(answer.body, { error: { code, message: String } }, what);
      }
      const stockSent = await patch({ stock: 30 });
      t.match(JSON.stringify(stockSent.body.error), /onHand.*stockDelta/, 'the refusal says what to send instead');
      t.match(await numbers(), { stock: 9, onHand: 9 }, 'nothing changed');
      t.equal((await shop.call('GET', `/api/products/${product.id}`)).body.product.priceCents, apple.priceCents);
    });

    t.test('stock: deliveries racing never take onHand past the bound together', async (t) => {
      const product = await create({ ...apple, name: 'Bounded figs', stock: 1_000_000 - 20 });
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => shop.call('PATCH', `/api/products/${product.id}`, { ...as(admin), body: { stockDelta: 1 } })),
      );
      t.equal(answers.filter((a) => a.status === 200).length, 20, 'as many as fit');
      t.ok(answers.filter((a) => a.status !== 200).every((a) => a.status === 422 && a.body.error.code === 'STOCK_TOO_LARGE'), 'the others 422');
      t.match((await shop.call('GET', `/api/products/${product.id}`)).body.product, { stock: 1_000_000, onHand: 1_000_000 });
    });

    t.test('listing: filters, search, sorts, pages', async (t) => {
      await shop.call('POST', '/api/categories', { ...as(admin), body: { name: 'Bakery' } });
      const made = [];
      for (const [name, priceCents, stock, description] of [
        ['Sourdough loaf', 450, 12, 'Naturally leavened, baked every morning.'],
        ['Rye bread', 390, 0, 'Dense and dark with caraway seeds.'],
        ['Butter croissant', 180, 30, 'Flaky layers of French butter.'],
        ['Baguette', 250, 25, 'Crusty outside, airy crumb.'],
      ] as const) {
        made.push(await create({ name, priceCents, stock, description, category: 'bakery', unit: 'each' }));
      }
      const names = async (query: string) =>
        (await shop.call('GET', `/api/products?category=bakery&${query}`)).body.items.map((p: { name: string }) => p.name);
      t.same(await names('sort=price'), ['Butter croissant', 'Baguette', 'Rye bread', 'Sourdough loaf']);
      t.same(await names('sort=-price'), ['Sourdough loaf', 'Rye bread', 'Baguette', 'Butter croissant']);
      t.same(await names('sort=name'), ['Baguette', 'Butter croissant', 'Rye bread', 'Sourdough loaf']);
      const newest = made.map((p) => p.name).reverse();
      t.same(await names(''), newest, 'newest first by default');
      t.same(await names('sort=newest'), newest);
      t.same(await names('inStock=true&sort=name'), ['Baguette', 'Butter croissant', 'Sourdough loaf']);
      t.same(await names('inStock=false'), ['Rye bread']);
      t.same(await names('minPrice=200&maxPrice=400&sort=price'), ['Baguette', 'Rye bread']);
      t.same(await names('q=butter'), ['Butter croissant']);
      t.same(await names('q=caraway'), ['Rye bread'], 'searches the description');
      t.same(await names('q=BAGUETTE'), ['Baguette'], 'any case');
      t.same(await names('q=nothing-like-this'), []);

      const page = await shop.call('GET', '/api/products?category=bakery&sort=price&page=2&limit=3');
      t.match(page.body, { page: 2, limit: 3, total: 4 });
      t.same(page.body.items.map((p: { name: string }) => p.name), ['Sourdough loaf']);
      const beyond = await shop.call('GET', '/api/products?category=bakery&page=9&limit=3');
      t.match(beyond.body, { items: [], total: 4 });
      for (const bad of ['limit=0', 'limit=101', 'page=0', 'sort=cheapest', 'minPrice=-1', 'minPrice=500&maxPrice=100', 'inStock=maybe']) {
        t.equal((await shop.call('GET', `/api/products?${bad}`)).status, 400, bad);
      }
      t.equal((await shop.call('GET', '/api/products?category=unknown-cat')).body.total, 0);
    });

    t.test('images: by content, at most 5 MB, replaced images are removed', async (t) => {
      const product = await create({ ...apple, name: 'Fuji apples' });
      const url = `/api/products/${product.id}/image`;
      const first = await shop.call('POST', url, { ...as(admin), form: imageForm({}, { bytes: jpeg() }) });
      t.equal(first.status, 200);
      t.match(first.body.product, { id: product.id, imageUrl: /^\/media\/\w+\.jpg$/, thumbnailUrl: String });
      const served = await fetch(shop.url + first.body.product.imageUrl);
      t.equal(served.headers.get('content-type'), 'image/jpeg');
      t.same(Buffer.from(await served.arrayBuffer()), jpeg(), 'the same bytes come back');
      t.equal((await shop.call('GET', `/api/products/${product.id}`)).body.product.imageUrl, first.body.product.imageUrl);

      const second = await shop.call('POST', url, { ...as(admin), form: imageForm({}, { bytes: png(), type: 'image/jpeg', name: 'x.jpg' }) });
      t.match(second.body.product.imageUrl, /\.png$/, 'the type comes from the bytes, not the name');
      t.equal((await fetch(shop.url + first.body.product.imageUrl)).status, 404, 'the old image is gone');

      const files = mediaFiles();
      const disguised = await shop.call('POST', url, {
        ...as(admin),
        form: imageForm({}, { bytes: Buffer.from('<?php echo "hi"; ?>'), type: 'image/jpeg', name: 'cat.jpg' }),
      });
      t.equal(disguised.status, 415);
      t.equal(disguised.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
      const big = Buffer.concat([jpeg(), Buffer.alloc(5 * 1024 * 1024)]);
      const tooBig = await shop.call('POST', url, { ...as(admin), form: imageForm({}, { bytes: big }) });
      t.equal(tooBig.status, 413);
      t.equal((await shop.call('POST', url, { ...as(admin), body: { image: 'x' } })).status, 415, 'JSON is not an upload');
      t.equal((await shop.call('POST', url, { ...as(admin), form: imageForm({ note: 'no file' }) })).status, 400, 'no file');
      t.equal((await shop.call('POST', url, { ...as(customer), form: imageForm({}, { bytes: jpeg() }) })).status, 403);
      t.equal((await shop.call('POST', '/api/products/nope/image', { ...as(admin), form: imageForm({}, { bytes: jpeg() }) })).status, 404);
      const fake = await shop.call('POST', url, { ...as(admin), form: imageForm({}, { bytes: fakeJpeg() }) });
      t.equal(fake.status, 415, 'JPEG magic bytes in front of something else');
      t.match(fake.body.error, { code: 'UNSUPPORTED_MEDIA_TYPE', message: /not a valid JPEG/ });
      const bomb = await shop.call('POST', url, { ...as(admin), form: imageForm({}, { bytes: pngDeclaring(10_000, 5_000), type: 'image/png' }) });
      t.equal(bomb.status, 422, 'a 50-megapixel image (a decompression bomb)');
      t.match(bomb.body.error, { code: 'IMAGE_TOO_LARGE', message: /10000×5000/ });
      t.same(mediaFiles(), files, 'no file left behind by the failures');
      t.equal((await shop.call('GET', `/api/products/${product.id}`)).body.product.imageUrl, second.body.product.imageUrl, 'product unchanged');
    });

    t.test('a real WebP is accepted', async (t) => {
      const product = await create({ ...apple, name: 'Kiwi' });
      const answer = await shop.call('POST', `/api/products/${product.id}/image`, { ...as(admin), form: imageForm({}, { bytes: webp(), type: 'image/webp' }) });
      t.equal(answer.status, 200);
      t.match(answer.body.product.imageUrl, /\.webp$/);
    });

    t.test('the listing cache is bounded: price ranges uncached, one entry per question, few entries per version', async (t) => {
      const product = await create({ ...apple, name: 'Bounded plums', priceCents: 555 });
      // Changes behind the cache's back show whether an answer came from the cache.
      const sneak = (priceCents: number) => shop.gateway.deps!.store.products.update(product.id, { priceCents, updatedAt: new Date() });
      const price = async (query: string) => (await shop.call('GET', `/api/products?${query}`)).body.items[0]?.priceCents;

      t.equal(await price('q=plums&minPrice=500&maxPrice=600'), 555);
      await sneak(556);
      t.equal(await price('q=plums&minPrice=500&maxPrice=600'), 556, 'a price range is read from the store every time');

      t.equal(await price('q=Bounded%20PLUMS&sort=relevance&page=1'), 556);
      await sneak(557);
      t.equal(await price('limit=20&q=plums++bounded'), 556, 'the same search in other words, case and order is one entry');

      t.equal((await shop.call('PATCH', `/api/products/${product.id}`, { ...as(admin), body: { priceCents: 700 } })).status, 200);
      for (let limit = 1; limit <= 6; limit++) t.equal(await price(`q=plums&limit=${limit}`), 700);
      await sneak(701);
      t.equal(await price('q=plums&limit=1'), 700, 'the first five answers of this version are cached');
      t.equal(await price('q=plums&limit=6'), 701, 'the sixth was not stored (CATALOG_CACHE_MAX_ENTRIES=5)');
    });

    t.test('create-product as multipart with an image; a failed create leaves no image', async (t) => {
      const files = mediaFiles();
      const form = imageForm({ name: 'Comice pears', category: 'fruit', priceCents: 399, stock: 7, unit: 'kg', available: true }, { bytes: jpeg() });
      const created = await shop.call('POST', '/api/products', { ...as(admin), form });
      t.equal(created.status, 201);
      t.match(created.body.product, { name: 'Comice pears', priceCents: 399, stock: 7, available: true, imageUrl: /^\/media\// });
      t.equal(mediaFiles().length, files.length + 1);

      const unknown = imageForm({ name: 'Ghost pears', category: 'nope', priceCents: 399, unit: 'kg' }, { bytes: jpeg() });
      t.equal((await shop.call('POST', '/api/products', { ...as(admin), form: unknown })).status, 422);
      const negative = imageForm({ name: 'Ghost pears', category: 'fruit', priceCents: -1, unit: 'kg' }, { bytes: jpeg() });
      t.equal((await shop.call('POST', '/api/products', { ...as(admin), form: negative })).status, 400);
      t.equal(mediaFiles().length, files.length + 1, 'no orphaned image');
      t.notOk((await shop.call('GET', '/api/products?q=ghost')).body.total, 'no product either');
    });
  });
}
