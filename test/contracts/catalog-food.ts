import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { Product, ProductQuery } from '#domain/catalog/product.js';
import { aProduct, type CatalogStore } from './catalog-repository.js';

const id = () => randomBytes(12).toString('hex');
const query = (q: Partial<ProductQuery> = {}): ProductQuery => ({ sort: 'name', offset: 0, limit: 50, ...q });
const names = (page: { items: Product[] }) => page.items.map((p) => p.name);

const nutrition = { energyKcal: 403, fat: 33, saturates: 21, carbohydrate: 1.3, sugars: 0.5, protein: 25, salt: 1.8 };

/** Products whose filters every store must answer alike. */
export const foodProducts: Partial<Product>[] = [
  { name: 'Apples', allergens: { contains: [], mayContain: [] }, diets: ['gluten_free', 'organic', 'vegan', 'vegetarian'] },
  { name: 'Bread', allergens: { contains: ['gluten'], mayContain: ['sesame'] }, diets: ['vegan', 'vegetarian'] },
  { name: 'Cheddar', allergens: { contains: ['milk'], mayContain: [] }, diets: ['gluten_free', 'vegetarian'], ingredients: 'Milk, salt, rennet', nutrition },
  { name: 'Dark chocolate', allergens: { contains: ['soybeans'], mayContain: ['milk', 'nuts'] }, diets: ['gluten_free', 'vegan', 'vegetarian'] },
  { name: 'Espresso', allergens: null, diets: ['vegan'] },
];

export const foodCases: [q: Partial<ProductQuery>, names: string[], why: string][] = [
  [{ diet: ['vegan'] }, ['Apples', 'Bread', 'Dark chocolate', 'Espresso'], 'one label'],
  [{ diet: ['gluten_free', 'vegan'] }, ['Apples', 'Dark chocolate'], 'every label asked for'],
  [{ diet: ['halal'] }, [], 'a label nobody carries'],
  [{ excludeAllergens: ['milk'] }, ['Apples', 'Bread'], 'contains and may contain are left out, and so is not declared'],
  [{ excludeAllergens: ['nuts', 'gluten'] }, ['Apples', 'Cheddar'], 'any of them'],
  [{ excludeAllergens: ['lupin'] }, ['Apples', 'Bread', 'Cheddar', 'Dark chocolate'], 'only declared products'],
  [{ diet: ['vegan'], excludeAllergens: ['sesame'] }, ['Apples', 'Dark chocolate'], 'both filters'],
  [{}, ['Apples', 'Bread', 'Cheddar', 'Dark chocolate', 'Espresso'], 'no filter: everything'],
];

/** Allergens, diets, ingredients and nutrition on every store: stored, changed, filtered. */
export function catalogFoodContract(t: Test, open: () => Promise<CatalogStore>) {
  let store: CatalogStore;
  t.beforeEach(async () => {
    store = await open();
    await store.categories.create({ id: id(), name: 'Fruit', slug: 'fruit' });
  });
  t.afterEach(() => store.close());

  t.test('food facts are stored as given; null stays null, a declared empty list stays declared', async (t) => {
    for (const overrides of foodProducts) {
      const product = aProduct(overrides);
      await store.products.create(product);
      t.same(await store.products.findById(product.id), product, `${overrides.name}`);
    }
  });

  t.test('an update sets, clears and keeps food facts', async (t) => {
    const product = aProduct(foodProducts[2]);
    await store.products.create(product);
    const kept = await store.products.update(product.id, { name: 'Mature cheddar', updatedAt: new Date() });
    t.same(kept && { ...kept, name: 'Cheddar', updatedAt: product.updatedAt }, product, 'a change of name keeps them');
    const changed = await store.products.update(product.id, {
      allergens: { contains: ['milk'], mayContain: ['nuts'] },
      diets: ['vegetarian'],
      ingredients: 'Milk',
      updatedAt: new Date(),
    });
    t.match(changed, { allergens: { contains: ['milk'], mayContain: ['nuts'] }, diets: ['vegetarian'], ingredients: 'Milk', nutrition });
    t.same((await store.products.list(query({ excludeAllergens: ['nuts'] }))).items, [], 'the filter follows the change');
    const cleared = await store.products.update(product.id, { allergens: null, nutrition: null, diets: [], updatedAt: new Date() });
    t.match(cleared, { allergens: null, nutrition: null, diets: [], ingredients: 'Milk' });
    t.same((await store.products.list(query({ excludeAllergens: ['lupin'] }))).items, [], 'not declared any more: left out');
  });

  t.test('the tax class is stored, kept by other changes and changed', async (t) => {
    const product = aProduct({ name: 'Bread', taxClass: 'reduced' });
    await store.products.create(product);
    t.equal((await store.products.findById(product.id))?.taxClass, 'reduced');
    t.equal((await store.products.update(product.id, { priceCents: 250, updatedAt: new Date() }))?.taxClass, 'reduced', 'kept');
    t.equal((await store.products.update(product.id, { taxClass: 'zero', updatedAt: new Date() }))?.taxClass, 'zero', 'changed');
    t.equal((await store.products.findByIds([product.id]))[0]?.taxClass, 'zero');
  });

  t.test('the listing filters by diet and leaves out allergens', async (t) => {
    for (const overrides of foodProducts) await store.products.create(aProduct(overrides));
    for (const [q, expected, why] of foodCases) {
      const page = await store.products.list(query(q));
      t.same(names(page), expected, `${JSON.stringify(q)}: ${why}`);
      t.equal(page.total, expected.length, 'the total counts the same');
    }
  });
}
