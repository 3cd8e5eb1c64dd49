import t from 'tap';
import { jpeg } from './helpers/images.js';
import { adminToken, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const nutrition = { energyKcal: 403, fat: 33, saturates: 21, carbohydrate: 1.3, sugars: 0.5, protein: 25, salt: 1.8 };

/** A create-product form: each [name, value] pair one field (a name may repeat), and a JPEG. */
function form(fields: [string, string][]) {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  data.append('image', new Blob([new Uint8Array(jpeg())], { type: 'image/jpeg' }), 'cheese.jpg');
  return data;
}

const base: [string, string][] = [
  ['category', 'dairy'],
  ['priceCents', '599'],
  ['stock', '5'],
];

for (const target of targets) {
  t.test(`create-product as multipart takes the food facts as JSON does on ${target.name}`, async (t) => {
    const shop: Shop = await startShop(target);
    t.teardown(() => shop.close());
    const token = await adminToken(shop);
    t.equal((await shop.call('POST', '/api/categories', { token, body: { name: 'Dairy' } })).status, 201);
    const total = async () => (await shop.call('GET', '/api/products?category=dairy')).body.total as number;

    const facts = {
      allergens: { contains: ['milk'], mayContain: ['nuts'] },
      diets: ['vegetarian', 'gluten_free'],
      ingredients: 'Pasteurised cow’s milk, salt, rennet',
      nutrition,
      taxClass: 'reduced',
    };
    const created = await shop.call('POST', '/api/products', {
      token,
      form: form([
        ['name', 'Cheddar'],
        ...base,
        ['allergens', JSON.stringify(facts.allergens)],
        ['diets', JSON.stringify(facts.diets)],
        ['ingredients', facts.ingredients],
        ['nutrition', JSON.stringify(nutrition)],
        ['taxClass', 'reduced'],
      ]),
    });
    t.equal(created.status, 201, created.status === 201 ? 'created' : created.text);
    const expected = { ...facts, diets: ['gluten_free', 'vegetarian'], imageUrl: /^\/media\// };
    t.match(created.body.product, expected, 'the answer carries the facts and the image');
    t.match((await shop.call('GET', `/api/products/${created.body.product.id}`)).body.product, expected, 'stored');
    const listed = await shop.call('GET', '/api/products?category=dairy&diet=vegetarian&excludeAllergens=eggs');
    t.same(listed.body.items.map((p: { name: string }) => p.name), ['Cheddar'], 'and the listing filters them');

    const json = await shop.call('POST', '/api/products', { token, body: { name: 'Cheddar (JSON)', category: 'dairy', priceCents: 599, stock: 5, ...facts } });
    const { id: _a, name: _b, createdAt: _c, updatedAt: _d, imageUrl: _e, thumbnailUrl: _f, ...viaJson } = json.body.product;
    const { id: _g, name: _h, createdAt: _i, updatedAt: _j, imageUrl: _k, thumbnailUrl: _l, ...viaForm } = created.body.product;
    t.same(viaForm, viaJson, 'the same product as the JSON body makes');

    const repeated = await shop.call('POST', '/api/products', {
      token,
      form: form([['name', 'Tofu'], ...base, ['diets', 'vegan'], ['diets', 'organic'], ['allergens', 'null'], ['ingredients', '42']]),
    });
    t.equal(repeated.status, 201, repeated.status === 201 ? 'created' : repeated.text);
    t.match(repeated.body.product, { diets: ['organic', 'vegan'], allergens: null, ingredients: '42', nutrition: null, taxClass: 'standard' }, 'a repeated field is a list; text stays text');
    const one = await shop.call('POST', '/api/products', { token, form: form([['name', 'Oat milk'], ...base, ['diets', 'vegan']]) });
    t.equal(one.status, 201, one.status === 201 ? 'created' : one.text);
    t.same(one.body.product.diets, ['vegan'], 'one diet as a plain field');

    t.test('bad facts in a form: 400 naming the field, nothing made', async (t) => {
      const before = await total();
      const cases: [string, [string, string][], string][] = [
        ['an unknown allergen', [['allergens', '{"contains":["gluten","chocolate"]}']], 'body.allergens.contains.1'],
        ['allergens that are no JSON', [['allergens', 'milk']], 'body.allergens'],
        ['an unknown diet', [['diets', 'vegan'], ['diets', 'paleo']], 'body.diets.1'],
        ['nutrition out of range', [['nutrition', JSON.stringify({ ...nutrition, fat: 101 })]], 'body.nutrition.fat'],
        ['a bad tax class', [['taxClass', 'luxury']], 'body.taxClass'],
      ];
      for (const [what, fields, path] of cases) {
        const answer = await shop.call('POST', '/api/products', { token, form: form([['name', 'Bad cheese'], ...base, ...fields]) });
        t.equal(answer.status, 400, what);
        t.match(answer.body.error, { code: 'VALIDATION_FAILED', details: [{ path }] }, what);
      }
      t.equal(await total(), before, 'no product made');
    });
  });
}
