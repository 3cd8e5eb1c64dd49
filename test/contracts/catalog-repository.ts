import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { DomainError } from '#domain/errors.js';
import type { Outbox } from '#domain/ports.js';
import { MAX_STOCK, type CategoryRepository, type Product, type ProductQuery, type ProductRepository } from '#domain/catalog/product.js';
import { relevance, searchWords } from '#domain/catalog/search-words.js';
import { noFoodFacts } from '#domain/catalog/food.js';

export interface CatalogStore {
  products: ProductRepository;
  categories: CategoryRepository;
  outbox: Outbox;
  close(): Promise<void>;
}

const id = () => randomBytes(12).toString('hex');
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

export const aProduct = (overrides: Partial<Product> = {}): Product => ({
  id: id(),
  name: 'Gala apples',
  description: 'Crisp and sweet',
  category: 'fruit',
  priceCents: 299,
  currency: 'USD',
  stock: 10,
  unit: 'kg',
  available: true,
  createdAt: at(0),
  updatedAt: at(0),
  taxClass: 'standard', ...noFoodFacts(), ...overrides, by: overrides.by ?? 'piece',
  onHand: overrides.onHand ?? overrides.stock ?? 10, // nothing held
});

const anEvent = (type: string) => ({ id: id(), type, occurredAt: new Date().toISOString(), data: {} });

const query = (q: Partial<ProductQuery> = {}): ProductQuery => ({ sort: 'newest', offset: 0, limit: 20, ...q });
const ids = (page: { items: Product[] }) => page.items.map((p) => p.id);

/**
 * Search answers every store must give alike: every word of `q` starts a word of the name or
 * the description, in any case, with or without accents, whatever the punctuation.
 */
export const searchProducts: Partial<Product>[] = [
  { name: 'Gala apples', description: 'Crisp and sweet' },
  { name: 'Green pineapple', description: 'Golden flesh' },
  { name: 'Green apple juice', description: 'Cold-pressed, 1 l' },
  { name: 'Crème brûlée', description: 'Vanilla custard, caramelised sugar' },
  { name: 'Jalapeño peppers', description: 'Hot: 2,500–8,000 SHU' },
  { name: "Ben & Jerry's ice-cream", description: 'Half-baked' },
];

export const searchCases: [q: string, names: string[], why: string][] = [
  ['appl', ['Gala apples', 'Green apple juice'], 'a word prefix; not the middle of "pineapple"'],
  ['green apple', ['Green apple juice'], 'every word must match: not "Green pineapple"'],
  ['apple green', ['Green apple juice'], 'in any order'],
  ['green', ['Green pineapple', 'Green apple juice'], 'a whole word'],
  ['APPLES', ['Gala apples'], 'any case'],
  ['apple pie', [], 'a word with no match finds nothing'],
  ['caramel vanilla', ['Crème brûlée'], 'words of the description'],
  ['creme brulee', ['Crème brûlée'], 'accents stored, none searched'],
  ['BRÛL', ['Crème brûlée'], 'accents searched'],
  ['crème', ['Crème brûlée'], 'a decomposed accent (NFD) is the same letter'],
  ['jalapeno', ['Jalapeño peppers'], 'ñ is n'],
  ['ice cream', ["Ben & Jerry's ice-cream"], 'a hyphen separates words'],
  ['jerry', ["Ben & Jerry's ice-cream"], 'an apostrophe separates words'],
  ['icecream', [], 'words are not glued together'],
  ['cold-pressed', ['Green apple juice'], 'punctuation in the search separates words too'],
  ['2,500', ['Jalapeño peppers'], 'digits are words'],
  ['ppl', [], 'only the start of a word'],
];

/** What every product and category repository must do; each adapter runs it on fresh storage. */
export function catalogRepositoryContract(t: Test, open: () => Promise<CatalogStore>) {
  let store: CatalogStore;
  t.beforeEach(async () => {
    store = await open();
    for (const [name, slug] of [['Fruit', 'fruit'], ['Bakery', 'bakery']]) await store.categories.create({ id: id(), name, slug });
  });
  t.afterEach(() => store.close());

  t.test('categories: create, find by slug, list by name; slugs are unique', async (t) => {
    t.match(await store.categories.findBySlug('fruit'), { name: 'Fruit', slug: 'fruit', id: String });
    t.equal(await store.categories.findBySlug('nope'), null);
    await t.rejects(store.categories.create({ id: id(), name: 'Fruits', slug: 'fruit' }), new DomainError('SLUG_TAKEN', 'The slug "fruit" is taken'));
    t.same((await store.categories.list()).map((c) => c.slug), ['bakery', 'fruit']);
  });

  t.test('products: create and find; the image id is kept', async (t) => {
    const plain = aProduct();
    const pictured = aProduct({ imageUrl: 'https://img/x.jpg', thumbnailUrl: 'https://img/x-thumb.jpg', imageId: 'x' });
    await store.products.create(plain);
    await store.products.create(pictured);
    t.same(await store.products.findById(plain.id), plain);
    t.same(await store.products.findById(pictured.id), pictured);
    t.equal(await store.products.findById('{"$ne":null}'), null);
  });

  t.test('update changes what it names; images are set and removed; events go to the outbox', async (t) => {
    const product = aProduct();
    await store.products.create(product, [{ id: 'e1', type: 'product.created', occurredAt: at(0).toISOString(), data: { id: product.id } }]);
    const priced = await store.products.update(product.id, { priceCents: 349, onHand: 0, updatedAt: at(5) }, [
      { id: 'e2', type: 'product.updated', occurredAt: at(5).toISOString(), data: { id: product.id } },
    ]);
    t.same(priced, { ...product, priceCents: 349, stock: 0, onHand: 0, updatedAt: at(5) });
    const image = { imageUrl: 'u', thumbnailUrl: 't', imageId: 'i' };
    t.same(await store.products.update(product.id, { image, updatedAt: at(6) }), { ...priced, ...image, updatedAt: at(6) });
    t.same(await store.products.update(product.id, { image: null, name: 'Galas', updatedAt: at(7) }), { ...priced, name: 'Galas', updatedAt: at(7) });
    t.equal(await store.products.update('missing', { onHand: 1, updatedAt: at(8) }), null);
    t.same((await store.outbox.pending(10)).map((e) => e.id), ['e1', 'e2']);
  });

  t.test('a deleted product is gone for every read and write', async (t) => {
    const product = aProduct();
    await store.products.create(product);
    const deleted = await store.products.delete(product.id, at(9), [{ id: 'd1', type: 'product.deleted', occurredAt: at(9).toISOString(), data: {} }]);
    t.equal(deleted?.id, product.id);
    t.equal(await store.products.findById(product.id), null);
    t.equal(await store.products.update(product.id, { onHand: 5, updatedAt: at(10) }), null);
    t.equal(await store.products.delete(product.id, at(11)), null);
    t.same(await store.products.list(query()), { items: [], total: 0 });
    t.same((await store.outbox.pending(10)).map((e) => e.id), ['d1'], 'one event, for the delete that happened');
  });

  t.test('list filters, searches whole words in name and description, sorts and pages', async (t) => {
    const items = [
      aProduct({ name: 'Sourdough loaf', description: 'Naturally leavened', category: 'bakery', priceCents: 450, stock: 12, createdAt: at(1) }),
      aProduct({ name: 'rye bread', description: 'Dense, with caraway', category: 'bakery', priceCents: 390, stock: 0, createdAt: at(2) }),
      aProduct({ name: 'Butter croissant', description: 'Flaky layers', category: 'bakery', priceCents: 180, stock: 30, createdAt: at(3) }),
      aProduct({ name: 'Gala apples', description: 'Crisp', category: 'fruit', priceCents: 299, stock: 5, createdAt: at(4) }),
    ];
    for (const p of items) await store.products.create(p);
    const [sourdough, rye, croissant, gala] = items.map((p) => p.id);
    t.same(ids(await store.products.list(query())), [gala, croissant, rye, sourdough], 'newest first');
    t.same(ids(await store.products.list(query({ sort: 'price' }))), [croissant, gala, rye, sourdough]);
    t.same(ids(await store.products.list(query({ sort: '-price' }))), [sourdough, rye, gala, croissant]);
    t.same(ids(await store.products.list(query({ sort: 'name' }))), [croissant, gala, rye, sourdough], 'name ignores case');
    t.same(ids(await store.products.list(query({ category: 'bakery', sort: 'price' }))), [croissant, rye, sourdough]);
    t.same(ids(await store.products.list(query({ inStock: false }))), [rye]);
    t.same(ids(await store.products.list(query({ inStock: true, category: 'bakery', sort: 'price' }))), [croissant, sourdough]);
    t.same(ids(await store.products.list(query({ minPrice: 299, maxPrice: 450, sort: 'price' }))), [gala, rye, sourdough]);
    t.same(ids(await store.products.list(query({ q: 'caraway' }))), [rye], 'description words');
    t.same(ids(await store.products.list(query({ q: 'CROISSANT' }))), [croissant], 'any case');
    t.same(ids(await store.products.list(query({ q: 'loaf', category: 'fruit' }))), [], 'combined with a filter');
    const page = await store.products.list(query({ sort: 'price', offset: 2, limit: 1 }));
    t.same(page, { items: [items[1]], total: 4 });
    t.same(await store.products.list(query({ offset: 10, limit: 5 })), { items: [], total: 4 });
  });

  t.test('search: every word starts a word, any case, accents and punctuation ignored', async (t) => {
    for (const p of searchProducts) await store.products.create(aProduct(p));
    const names = async (q: string) => (await store.products.list(query({ q }))).items.map((p) => p.name).sort();
    for (const [q, expected, why] of searchCases) t.same(await names(q), [...expected].sort(), `${JSON.stringify(q)}: ${why}`);
    t.equal((await store.products.list(query({ q: '?!' }))).total, searchProducts.length, 'a search with no words filters nothing');
  });

  t.test('search follows name and description changes', async (t) => {
    const product = aProduct({ name: 'Gala apples', description: 'Crisp' });
    await store.products.create(product);
    const found = async (q: string) => ids(await store.products.list(query({ q })));
    await store.products.update(product.id, { name: 'Bosc pears', updatedAt: at(1) });
    t.same(await found('pear crisp'), [product.id], 'the new name with the kept description');
    t.same(await found('apple'), [], 'the old name is gone');
    await store.products.update(product.id, { description: 'Juicy', updatedAt: at(2) });
    t.same(await found('bosc juic'), [product.id]);
    t.same(await found('crisp'), []);
  });

  t.test('fractional money or stock and negative stock are refused and store nothing', async (t) => {
    const fractional = aProduct({ priceCents: 2.5 });
    await t.rejects(store.products.create(fractional), 'a fractional price');
    t.equal(await store.products.findById(fractional.id), null);
    const product = aProduct();
    await store.products.create(product);
    await t.rejects(store.products.update(product.id, { onHand: 1.5, updatedAt: at(1) }), 'a fractional count');
    await t.rejects(store.products.update(product.id, { stockDelta: 0.5, updatedAt: at(1) }), 'a fractional delta');
    await t.rejects(store.products.update(product.id, { onHand: -1, updatedAt: at(1) }), 'a negative count');
    await t.rejects(store.products.update(product.id, { priceCents: 0.1, updatedAt: at(1) }), 'a fractional price');
    t.same(await store.products.findById(product.id), product, 'unchanged');
  });

  t.test('stock: a stocktake sets onHand and stock; a delta moves both; refusals change nothing', async (t) => {
    const product = aProduct({ stock: 10 });
    await store.products.create(product);
    const numbers = async () => {
      const found = await store.products.findById(product.id);
      return { stock: found?.stock, onHand: found?.onHand };
    };
    t.match(await store.products.update(product.id, { onHand: 25, updatedAt: at(1) }), { stock: 25, onHand: 25 }, 'a stocktake');
    t.match(await store.products.update(product.id, { stockDelta: 5, updatedAt: at(2) }), { stock: 30, onHand: 30 }, 'a delivery');
    t.match(await store.products.update(product.id, { stockDelta: -12, updatedAt: at(3) }), { stock: 18, onHand: 18 }, 'a loss');
    await t.rejects(store.products.update(product.id, { stockDelta: -19, name: 'Renamed', updatedAt: at(4) }), { code: 'STOCK_NEGATIVE' });
    await t.rejects(store.products.update(product.id, { onHand: MAX_STOCK + 1, updatedAt: at(4) }), { code: 'STOCK_TOO_LARGE' });
    await t.rejects(store.products.update(product.id, { stockDelta: MAX_STOCK - 17, updatedAt: at(4) }), { code: 'STOCK_TOO_LARGE' });
    t.same(await numbers(), { stock: 18, onHand: 18 }, 'nothing changed');
    t.equal((await store.products.findById(product.id))?.name, product.name, 'nor anything else in the refused write');
    t.match(await store.products.update(product.id, { stockDelta: MAX_STOCK - 18, updatedAt: at(5) }), { stock: MAX_STOCK, onHand: MAX_STOCK }, 'up to the bound');
    t.match(await store.products.update(product.id, { onHand: 0, updatedAt: at(6) }), { stock: 0, onHand: 0 });
  });

  t.test('stock: deltas racing never cross MAX_STOCK together, and none is lost', async (t) => {
    const product = aProduct({ stock: MAX_STOCK - 30 });
    await store.products.create(product);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => store.products.update(product.id, { stockDelta: 1, updatedAt: at(1) })),
    );
    t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 30, 'as many as fit');
    t.ok(
      outcomes.every((o) => o.status === 'fulfilled' || (o.reason as DomainError).code === 'STOCK_TOO_LARGE'),
      'the others refused as too large',
    );
    t.match(await store.products.findById(product.id), { stock: MAX_STOCK, onHand: MAX_STOCK });
    const big = aProduct({ stock: 0 });
    await store.products.create(big);
    const millions = await Promise.allSettled(Array.from({ length: 4 }, () => store.products.update(big.id, { stockDelta: MAX_STOCK, updatedAt: at(1) })));
    t.equal(millions.filter((o) => o.status === 'fulfilled').length, 1, 'four deltas of the bound: one fits');
    t.match(await store.products.findById(big.id), { stock: MAX_STOCK, onHand: MAX_STOCK });
  });

  t.test('relevance: a name before a description, a whole word before a prefix, then newest', async (t) => {
    const made = [
      aProduct({ name: 'Bananas', description: 'Yellow and sweet', createdAt: at(1) }),
      aProduct({ name: 'Banana bread', description: 'Baked with ripe bananas', createdAt: at(2) }),
      aProduct({ name: 'Apple pie', description: 'With a banana twist', createdAt: at(3) }),
      aProduct({ name: 'Plantain', description: 'Not a banana, though bananas are close', createdAt: at(4) }),
      aProduct({ name: 'Banana chips', description: 'Dried', createdAt: at(5) }),
    ];
    for (const p of made) await store.products.create(p);
    const names = async (q: string, sort: ProductQuery['sort'] = 'relevance') =>
      (await store.products.list(query({ q, sort }))).items.map((p) => p.name);
    t.same(await names('bananas'), ['Bananas', 'Plantain', 'Banana bread'], 'the whole name word first; a description word after');
    t.same(await names('banana'), ['Banana chips', 'Banana bread', 'Bananas', 'Plantain', 'Apple pie'], 'whole name words (newest first), a name prefix, then descriptions');
    t.same(await names('banana dried'), ['Banana chips'], 'every word still has to match');
    t.same(await names('banana', 'newest'), ['Banana chips', 'Plantain', 'Apple pie', 'Banana bread', 'Bananas'], 'another sort still applies when asked');
    const byScore = made
      .filter((p) => searchWords(`${p.name} ${p.description}`).some((w) => w.startsWith('banana')))
      .sort((a, b) => relevance(['banana'], searchWords(b.name), searchWords(`${b.name} ${b.description}`)) - relevance(['banana'], searchWords(a.name), searchWords(`${a.name} ${a.description}`)) || b.createdAt.getTime() - a.createdAt.getTime())
      .map((p) => p.name);
    t.same(await names('banana'), byScore, 'the order the domain defines');
  });

  t.test('available: only the products marked so, only the others, or all', async (t) => {
    const [shown, hidden] = [aProduct({ name: 'Shown' }), aProduct({ name: 'Hidden', available: false })];
    for (const p of [shown, hidden]) await store.products.create(p);
    t.same(ids(await store.products.list(query({ available: true }))), [shown.id]);
    t.same(ids(await store.products.list(query({ available: false }))), [hidden.id]);
    t.equal((await store.products.list(query({}))).total, 2);
  });

  t.test('categories: renamed in place, moved to a new slug with their products, deleted once empty', async (t) => {
    const apple = aProduct({ category: 'fruit' });
    const gone = aProduct({ category: 'fruit' });
    for (const p of [apple, gone]) await store.products.create(p);
    await store.products.delete(gone.id, at(9));
    const renamed = await store.categories.update('fruit', { name: 'Fresh fruit' }, [anEvent('category.updated')]);
    t.match(renamed, { name: 'Fresh fruit', slug: 'fruit' });
    const moved = await store.categories.update('fruit', { slug: 'fresh-fruit' });
    t.match(moved, { name: 'Fresh fruit', slug: 'fresh-fruit' });
    t.equal(await store.categories.findBySlug('fruit'), null);
    t.same(ids(await store.products.list(query({ category: 'fresh-fruit' }))), [apple.id], 'its products moved along');
    t.equal((await store.products.findByIds([gone.id]))[0].category, 'fresh-fruit', 'deleted ones too');
    await t.rejects(store.categories.update('fresh-fruit', { slug: 'bakery' }), new DomainError('SLUG_TAKEN', 'The slug "bakery" is taken'));
    t.equal(await store.categories.update('nope', { name: 'X' }), null);
    t.equal(await store.categories.delete('fresh-fruit'), 'in-use');
    await store.products.delete(apple.id, at(10));
    t.equal(await store.categories.delete('fresh-fruit', [anEvent('category.deleted')]), 'deleted', 'only deleted products left');
    t.equal(await store.categories.delete('fresh-fruit'), 'missing');
    t.same((await store.outbox.pending(10)).map((e) => e.type), ['category.updated', 'category.deleted']);
  });

  t.test('a product needs its category; one created or moved in while the category is deleted keeps it', async (t) => {
    await t.rejects(store.products.create(aProduct({ category: 'nope' })), { code: 'UNKNOWN_CATEGORY' });
    const bread = aProduct({ category: 'bakery' });
    await store.products.create(bread);
    await t.rejects(store.products.update(bread.id, { category: 'nope', updatedAt: at(1) }), { code: 'UNKNOWN_CATEGORY' });
    t.equal((await store.products.findById(bread.id))?.category, 'bakery', 'unchanged');
    for (let round = 0; round < 5; round++) {
      const slug = `seasonal-${round}`;
      await store.categories.create({ id: id(), name: `Seasonal ${round}`, slug });
      const movers = [aProduct({ category: 'fruit' }), aProduct({ category: 'fruit' })];
      for (const p of movers) await store.products.create(p);
      const [deleted, ...writes] = await Promise.allSettled([
        store.categories.delete(slug),
        ...Array.from({ length: 20 }, () => store.products.create(aProduct({ category: slug }))),
        ...movers.map((p) => store.products.update(p.id, { category: slug, updatedAt: at(2) })),
      ]);
      const stored = writes.filter((w) => w.status === 'fulfilled').length;
      for (const w of writes) if (w.status === 'rejected') t.match(w.reason, { code: 'UNKNOWN_CATEGORY' });
      const inIt = (await store.products.list(query({ category: slug, limit: 100 }))).total;
      t.equal(inIt, stored, `round ${round}: every write that succeeded left its product in the category`);
      if (deleted.status === 'fulfilled' && deleted.value === 'deleted') {
        t.equal(inIt, 0, `round ${round}: deleted, so no product is in it`);
        t.equal(await store.categories.findBySlug(slug), null);
      } else {
        t.match(deleted, { status: 'fulfilled', value: 'in-use' });
        t.ok(await store.categories.findBySlug(slug), `round ${round}: in use, so it stays`);
      }
    }
  });
}
