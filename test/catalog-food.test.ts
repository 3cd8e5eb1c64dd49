import t from 'tap';
import { adminToken, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const nutrition = { energyKcal: 403, fat: 33, saturates: 21, carbohydrate: 1.3, sugars: 0.5, protein: 25, salt: 1.8 };
const base = { category: 'larder', priceCents: 299, stock: 10, unit: 'each' };

for (const target of targets) {
  t.test(`allergens, diets and nutrition over HTTP on ${target.name}`, async (t) => {
    const shop: Shop = await startShop(target);
    t.teardown(() => shop.close());
    const token = await adminToken(shop);
    t.equal((await shop.call('POST', '/api/categories', { token, body: { name: 'Larder' } })).status, 201);
    const create = async (body: object) => {
      const answer = await shop.call('POST', '/api/products', { token, body: { ...base, ...body } });
      t.equal(answer.status, 201, JSON.stringify(body));
      return answer.body.product as { id: string; name: string };
    };
    const listed = async (query: string) => {
      const answer = await shop.call('GET', `/api/products?category=larder&sort=name&${query}`);
      t.equal(answer.status, 200, query);
      return (answer.body.items as { name: string }[]).map((p) => p.name);
    };

    const cheddar = await create({
      name: 'Cheddar',
      allergens: { contains: ['milk'] },
      diets: ['vegetarian', 'gluten_free', 'vegetarian'],
      ingredients: 'Pasteurised milk, salt, rennet',
      nutrition,
    });
    await create({ name: 'Carrots', allergens: { contains: [], mayContain: [] }, diets: ['vegan', 'vegetarian', 'gluten_free'] });
    await create({ name: 'Granola', allergens: { contains: ['gluten', 'nuts'], mayContain: ['milk'] }, diets: ['vegetarian'] });
    const coffee = await create({ name: 'Coffee', diets: ['vegan'] });

    t.test('answers carry the facts; not declared is null, declared free is an empty list', async (t) => {
      const read = (id: string) => shop.call('GET', `/api/products/${id}`);
      t.same((await read(cheddar.id)).body.product, {
        ...(await read(cheddar.id)).body.product,
        allergens: { contains: ['milk'], mayContain: [] },
        diets: ['gluten_free', 'vegetarian'],
        ingredients: 'Pasteurised milk, salt, rennet',
        nutrition,
      });
      t.match((await read(coffee.id)).body.product, { allergens: null, diets: ['vegan'], ingredients: '', nutrition: null });
      const listing = (await shop.call('GET', '/api/products?category=larder&sort=name')).body.items as { name: string; allergens: unknown }[];
      t.same(
        listing.map((p) => [p.name, p.allergens]),
        [
          ['Carrots', { contains: [], mayContain: [] }],
          ['Cheddar', { contains: ['milk'], mayContain: [] }],
          ['Coffee', null],
          ['Granola', { contains: ['gluten', 'nuts'], mayContain: ['milk'] }],
        ],
        'the listing shows them too',
      );
    });

    t.test('the listing filters by diet (all of them) and leaves out allergens (and the undeclared)', async (t) => {
      t.same(await listed('diet=vegan'), ['Carrots', 'Coffee']);
      t.same(await listed('diet=vegetarian,gluten_free'), ['Carrots', 'Cheddar']);
      t.same(await listed('diet=gluten_free,vegetarian'), ['Carrots', 'Cheddar'], 'in any order (one cache entry)');
      t.same(await listed('excludeAllergens=milk'), ['Carrots'], 'contains, may contain and not declared are left out');
      t.same(await listed('excludeAllergens=nuts'), ['Carrots', 'Cheddar']);
      t.same(await listed('excludeAllergens=lupin'), ['Carrots', 'Cheddar', 'Granola'], 'not declared is never safe');
      t.same(await listed('diet=vegetarian&excludeAllergens=gluten'), ['Carrots', 'Cheddar']);
      t.same(await listed('diet=halal'), []);
    });

    t.test('an update sets and clears them; the cached listing follows', async (t) => {
      t.same(await listed('excludeAllergens=milk'), ['Carrots']);
      const patch = (body: object) => shop.call('PATCH', `/api/products/${coffee.id}`, { token, body });
      const declared = await patch({ allergens: { contains: [], mayContain: ['milk'] }, nutrition: { ...nutrition, fat: 0.2, saturates: 0.1 } });
      t.equal(declared.status, 200);
      t.match(declared.body.product, { allergens: { contains: [], mayContain: ['milk'] }, diets: ['vegan'], nutrition: { fat: 0.2 } });
      t.same(await listed('excludeAllergens=nuts'), ['Carrots', 'Cheddar', 'Coffee'], 'declared now');
      t.same(await listed('excludeAllergens=milk'), ['Carrots'], 'may contain milk');
      const cleared = await patch({ allergens: null, nutrition: null, diets: [] });
      t.match(cleared.body.product, { allergens: null, nutrition: null, diets: [] });
      t.same(await listed('excludeAllergens=nuts'), ['Carrots', 'Cheddar']);
      t.same(await listed('diet=vegan'), ['Carrots']);
    });

    t.test('unknown names and impossible numbers are a 400 and change nothing', async (t) => {
      const count = async () => (await shop.call('GET', '/api/products?category=larder')).body.total as number;
      const before = await count();
      const bodies: [object, string][] = [
        [{ name: 'X', allergens: { contains: ['peanut'] } }, 'an unknown allergen'],
        [{ name: 'X', allergens: [] }, 'a list, not contains and mayContain'],
        [{ name: 'X', allergens: { contains: ['milk'], traces: ['nuts'] } }, 'an unknown field'],
        [{ name: 'X', allergens: { mayContain: ['milk'] } }, 'contains is required once declared'],
        [{ name: 'X', diets: ['paleo'] }, 'an unknown diet'],
        [{ name: 'X', nutrition: { ...nutrition, fat: 120 } }, 'more than 100 g in 100 g'],
        [{ name: 'X', nutrition: { ...nutrition, saturates: 40 } }, 'saturates above fat'],
        [{ name: 'X', nutrition: { ...nutrition, salt: -1 } }, 'negative'],
        [{ name: 'X', nutrition: { fat: 3 } }, 'incomplete'],
      ];
      for (const [body, why] of bodies) {
        const answer = await shop.call('POST', '/api/products', { token, body: { ...base, ...body } });
        t.equal(answer.status, 400, why);
        t.equal(answer.body.error?.code, 'VALIDATION_FAILED', why);
      }
      t.equal(await count(), before, 'nothing created');
      const patched = await shop.call('PATCH', `/api/products/${cheddar.id}`, { token, body: { diets: ['vegan', 'carnivore'] } });
      t.equal(patched.status, 400);
      t.match((await shop.call('GET', `/api/products/${cheddar.id}`)).body.product, { diets: ['gluten_free', 'vegetarian'] }, 'nothing changed');

      for (const [query, path, named] of [['diet=vegan,paleo', 'query.diet', /unknown diet "paleo"/], ['excludeAllergens=milk,peanut', 'query.excludeAllergens', /unknown allergen "peanut"/]] as const) {
        const answer = await shop.call('GET', `/api/products?${query}`);
        t.equal(answer.status, 400, query);
        t.match(answer.body.error, { code: 'VALIDATION_FAILED', details: [{ path, message: named }] }, 'the answer names the unknown value');
      }
    });
  });
}
