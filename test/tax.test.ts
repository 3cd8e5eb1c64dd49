import { readFileSync } from 'node:fs';
import t from 'tap';
import { readConfig } from '#platform/config.js';
import { includedTax, taxesIncluded } from '#domain/catalog/tax.js';
import { deliveryAdmin } from './helpers/delivery.js';
import { adminToken, newCustomer, startShop } from './helpers/shop.js';
import { address, shopping } from './helpers/shopping.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

/** README's "Food VAT": its settings, its lines table, the delivery fee and the order's taxes. */
function readmeExample() {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Food VAT'), readme.indexOf('\n## ', readme.indexOf('## Food VAT') + 1));
  const rates = /`TAX_RATES=([^`]+)` and a delivery fee of (\d+)/.exec(section);
  const lines = [...section.matchAll(/^\| (\w+) \| (standard|reduced|zero) \| (\d+) \| (\d+) \| (\d+) \|$/gm)].map(([, name, taxClass, quantity, price, line]) => ({
    name: name,
    taxClass: taxClass,
    quantity: Number(quantity),
    priceCents: Number(price),
    lineCents: Number(line),
  }));
  const taxes = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? 'null');
  const total = Number(/`totalCents` is (\d+)/.exec(section)?.[1]);
  return { taxRates: rates?.[1] ?? '', feeCents: Number(rates?.[2]), lines, taxes, total };
}

t.test('TAX_RATES: a bad value stops the start with one sentence', async (t) => {
  const refusal = (value: string) => readConfig({ SECRETS_DIR: '/nonexistent', TAX_RATES: value }).problems.join('; ');
  const once = 'must name each of standard, reduced, zero once, as in standard=20,reduced=5,zero=0';
  t.equal(refusal('standard=20,reduced=5'), `TAX_RATES="standard=20,reduced=5" ${once}: zero is missing`);
  t.equal(refusal('standard=20'), `TAX_RATES="standard=20" ${once}: reduced and zero are missing`);
  t.equal(refusal('standard=20,reduced=5,zero=0,luxury=30'), `TAX_RATES="standard=20,reduced=5,zero=0,luxury=30" ${once}: "luxury" is no tax class`);
  t.equal(refusal('standard=20,standard=19,reduced=5,zero=0'), `TAX_RATES="standard=20,standard=19,reduced=5,zero=0" ${once}: standard is named twice`);
  const percent = 'must give each rate in percent, from 0 to 100 with at most two decimals';
  t.equal(refusal('standard=20%,reduced=5,zero=0'), `TAX_RATES="standard=20%,reduced=5,zero=0" ${percent}: standard is "20%"`);
  t.equal(refusal('standard=120,reduced=5,zero=0'), `TAX_RATES="standard=120,reduced=5,zero=0" ${percent}: standard is "120"`);
  t.equal(refusal('standard=20,reduced=5.555,zero=0'), `TAX_RATES="standard=20,reduced=5.555,zero=0" ${percent}: reduced is "5.555"`);
  t.equal(refusal('standard=20,reduced=,zero=0'), `TAX_RATES="standard=20,reduced=,zero=0" ${percent}: reduced is ""`);
  t.equal(readConfig({ SECRETS_DIR: '/nonexistent', DELIVERY_TAX_CLASS: 'low' }).problems.join('; '), 'DELIVERY_TAX_CLASS=low is not one of standard, reduced, zero');
  const read = readConfig({ SECRETS_DIR: '/nonexistent', TAX_RATES: ' reduced=5.5, zero=0, standard=20 ', DELIVERY_TAX_CLASS: 'reduced' });
  t.same(read.config?.tax, { rates: { standard: 20, reduced: 5.5, zero: 0 }, deliveryClass: 'reduced' });
  t.same(readConfig({ SECRETS_DIR: '/nonexistent' }).config?.tax, { rates: { standard: 20, reduced: 5, zero: 0 }, deliveryClass: 'standard' }, 'the defaults');
});

t.test('the rule: exact, half up, once per rate', async (t) => {
  t.equal(includedTax(3, 20), 1, '0.5 goes up');
  t.equal(includedTax(9, 20), 2, '1.5 goes up');
  t.equal(includedTax(2, 20), 0, '0.33 goes down');
  t.equal(includedTax(1055, 5.5), 55, 'exact: 1055 × 5.5 / 105.5');
  t.equal(includedTax(106, 2.1), 2, '106 × 2.1 / 102.1 = 2.18');
  t.equal(includedTax(499_500_000_000, 20), 83_250_000_000, 'the largest cart, without float error');
  t.equal(includedTax(1000, 0), 0);
  t.equal(includedTax(0, 20), 0);
  // Three lines of 1 cent at 20 %: each holds 0.1667, rounded alone 0; together 0.5, so 1.
  t.same(taxesIncluded([1, 1, 1].map((grossCents) => ({ taxClass: 'standard' as const, grossCents })), { standard: 20, reduced: 5, zero: 0 }), [
    { taxClass: 'standard', ratePercent: 20, grossCents: 3, taxCents: 1, netCents: 2 },
  ]);
  t.same(taxesIncluded([], { standard: 20, reduced: 5, zero: 0 }), [], 'no lines, no entries');
});

for (const target of targets) {
  t.test(`food VAT over HTTP on ${target.name}`, async (t) => {
    const example = readmeExample();
    t.equal(example.lines.length, 4, "the README's example has its four lines");
    t.ok(example.taxRates && example.feeCents > 0 && Array.isArray(example.taxes), 'and its rates, fee and taxes');
    const shop = await startShop(target, { TAX_RATES: example.taxRates });
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    t.equal((await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } })).status, 201);
    const shop_ = shopping(shop, admin);
    await deliveryAdmin(shop, admin).zone({ name: 'Town', postcodes: [address.postalCode], feeCents: example.feeCents });

    const products = new Map<string, { id: string; taxClass: string }>();
    for (const line of example.lines) {
      t.equal(line.priceCents * line.quantity, line.lineCents, `${line.name}: the README's line adds up`);
      const created = await shop_.product({ name: line.name, priceCents: line.priceCents, taxClass: line.taxClass });
      products.set(line.name, created as unknown as { id: string; taxClass: string });
    }
    t.same([...products.values()].map((p) => p.taxClass), example.lines.map((l) => l.taxClass), 'the products answer their class');
    const defaulted = await shop_.product({ name: 'Salt' });
    t.equal((defaulted as unknown as { taxClass: string }).taxClass, 'standard', 'standard unless told');

    const ann = await newCustomer(shop, 'Ann');
    for (const line of example.lines) t.equal((await shop_.add(ann, products.get(line.name)!.id, line.quantity)).status, 200);

    await t.test("the cart shows the tax its lines include, per rate (no delivery fee yet)", async (t) => {
      const cart = await shop_.cart(ann);
      t.same(cart.items.map((i: { taxClass: string }) => i.taxClass), example.lines.map((l) => l.taxClass));
      t.equal(cart.subtotalCents, 1576);
      t.same(cart.taxes, [
        { taxClass: 'standard', ratePercent: 20, grossCents: 449, taxCents: 75, netCents: 374 },
        { taxClass: 'reduced', ratePercent: 5.5, grossCents: 877, taxCents: 46, netCents: 831 },
        { taxClass: 'zero', ratePercent: 0, grossCents: 250, taxCents: 0, netCents: 250 },
      ]);
    });

    const placed = await shop_.place(ann);
    t.equal(placed.status, 202, placed.status === 202 ? 'placed' : placed.text);
    const order = placed.body.order;

    await t.test("the order answers the README's example", async (t) => {
      t.equal(order.totalCents, example.total);
      t.equal(order.deliveryFeeCents, example.feeCents);
      t.same(order.taxes, example.taxes);
      t.same(order.items.map((i: { taxClass: string }) => i.taxClass), example.lines.map((l) => l.taxClass));
      t.same((await shop_.order(ann, order.id)).taxes, example.taxes, 'read again');
    });

    await t.test('a bad tax class is 400 and changes nothing', async (t) => {
      const before = (await shop.call('GET', '/api/products?limit=100')).body.total;
      const bad = await shop.call('POST', '/api/products', { token: admin, body: { name: 'Caviar', category: 'pantry', priceCents: 9900, taxClass: 'luxury' } });
      t.equal(bad.status, 400);
      t.match(bad.body.error, { code: 'VALIDATION_FAILED', details: [{ path: 'body.taxClass' }] });
      t.match(bad.body.error.details[0].message, /standard, reduced, zero/);
      t.equal((await shop.call('GET', '/api/products?limit=100')).body.total, before, 'no product made');
      const cola = products.get('Cola')!.id;
      const patch = await shop.call('PATCH', `/api/products/${cola}`, { token: admin, body: { taxClass: 'Reduced' } });
      t.equal(patch.status, 400);
      t.equal((await shop.call('GET', `/api/products/${cola}`)).body.product.taxClass, 'standard', 'the product kept its class');
    });

    await t.test('later rates and classes never touch a placed order', async (t) => {
      const cola = products.get('Cola')!.id;
      const patched = await shop.call('PATCH', `/api/products/${cola}`, { token: admin, body: { taxClass: 'zero' } });
      t.equal(patched.status, 200);
      t.equal(patched.body.product.taxClass, 'zero');
      await shop.restart({ TAX_RATES: 'standard=25,reduced=10,zero=0', DELIVERY_TAX_CLASS: 'zero' });
      t.same((await shop_.order(ann, order.id)).taxes, example.taxes, 'the order keeps the rates it was placed with');
      const listed = (await shop.call('GET', '/api/orders', { token: ann.accessToken })).body.items;
      t.same(listed.find((o: { id: string }) => o.id === order.id).taxes, example.taxes, 'in the list too');
      // Bob's cart: Ann's still holds the first order's lines until its confirmation takes them out.
      const bob = await newCustomer(shop, 'Bob');
      t.equal((await shop_.add(bob, cola, 1)).status, 200);
      const cart = await shop_.cart(bob);
      t.same(cart.taxes, [{ taxClass: 'zero', ratePercent: 0, grossCents: 449, taxCents: 0, netCents: 449 }], 'a new cart takes the new class');
      const salt = (defaulted as unknown as { id: string }).id;
      t.equal((await shop_.add(bob, salt, 2)).status, 200);
      t.same((await shop_.cart(bob)).taxes[0], { taxClass: 'standard', ratePercent: 25, grossCents: 500, taxCents: 100, netCents: 400 }, 'and the new rates');
      const second = await shop_.place(bob);
      t.equal(second.status, 202, second.status === 202 ? 'placed' : second.text);
      t.same(second.body.order.taxes, [
        { taxClass: 'standard', ratePercent: 25, grossCents: 500, taxCents: 100, netCents: 400 },
        { taxClass: 'zero', ratePercent: 0, grossCents: 449 + example.feeCents, taxCents: 0, netCents: 449 + example.feeCents },
      ], 'a new order takes the new rates and the delivery class');
    });
  });
}
