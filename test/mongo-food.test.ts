import mongoose from 'mongoose';
import siftModule from 'sift';
import t from 'tap';
import { mongoModels } from '#adapters/mongo/models.js';
import { productDoc, productListQuery, toProduct, type ProductDoc } from '#adapters/mongo/mongo-catalog.js';
import type { ProductQuery } from '#domain/catalog/product.js';
import { foodCases, foodProducts } from './contracts/catalog-food.js';
import { aProduct } from './contracts/catalog-repository.js';

/**
 * The MongoDB adapter's food facts before anything reaches a server (the contract suite checks
 * the same on a real one when MONGO_URL is set): the documents, their validators, and what the
 * listing's diet and allergen filters match, evaluated in memory by sift.
 */
// sift is CommonJS with its function as `default`; Node's ESM import hands over the whole module.
const sift = (siftModule as unknown as { default: typeof siftModule.default }).default;
const connection = mongoose.createConnection(); // never opened
const { Product } = mongoModels(connection);
const query = (q: Partial<ProductQuery> = {}): ProductQuery => ({ sort: 'newest', offset: 0, limit: 20, ...q });
const problems = async (doc: mongoose.Document) => Object.keys((await doc.validate().catch((error) => error))?.errors ?? {}).sort();

t.test('documents keep the facts; contains and may contain together are what the filter reads', async (t) => {
  for (const overrides of foodProducts) {
    const product = aProduct(overrides);
    const doc = productDoc(product);
    t.same(await problems(new Product(doc)), [], `${overrides.name} is valid`);
    t.same(toProduct(doc), product, `${overrides.name} reads back as stored`);
  }
  t.same(productDoc(aProduct(foodProducts[3])).allergenRisk, ['milk', 'nuts', 'soybeans']);
  t.equal(productDoc(aProduct({ allergens: null })).allergenRisk, null, 'not declared');
  const old = { ...productDoc(aProduct()) } as Partial<ProductDoc>;
  for (const key of ['allergens', 'allergenRisk', 'diets', 'ingredients', 'nutrition'] as const) delete old[key];
  t.match(toProduct(old as ProductDoc), { allergens: null, diets: [], ingredients: '', nutrition: null }, 'a document from before reads as not declared');
});

t.test('the validators refuse unknown names and impossible numbers', async (t) => {
  const bad = productDoc(aProduct());
  const doc = { ...bad, diets: ['paleo'], allergens: { contains: ['peanut'], mayContain: [] }, nutrition: { energyKcal: 1, fat: 101, saturates: 0, carbohydrate: 0, sugars: 0, protein: 0, salt: 0 } };
  t.same(await problems(new Product(doc)), ['allergens.contains.0', 'diets.0', 'nutrition.fat']);
});

t.test("the listing's filter finds what the contract's food cases expect", async (t) => {
  const docs = foodProducts.map((p) => productDoc(aProduct(p)));
  const legacy = { ...productDoc(aProduct({ name: 'Legacy' })) } as Partial<ProductDoc>;
  delete legacy.allergenRisk;
  delete legacy.diets;
  for (const [q, expected, why] of foodCases) {
    const { filter } = productListQuery(query(q));
    const found = [...docs, legacy].filter(sift(filter)).map((d) => d.name).sort();
    const withLegacy = Object.keys(q).length ? expected : [...expected, 'Legacy'];
    t.same(found, [...withLegacy].sort(), `${JSON.stringify(q)}: ${why}`);
  }
});
