import t from 'tap';
import { amountToAuthorize } from '#domain/orders/orders.js';
import { adminToken, newCustomer, startShop } from './helpers/shop.js';
import { shopping, type Customer } from './helpers/shopping.js';
import { startSmtp } from './helpers/smtp.js';
import { skippedTargets, targets } from './helpers/targets.js';

/** Packing over HTTP: weighed lines within the tolerance, short lines, substitutes; the final total, the stock, the mail. */

for (const note of skippedTargets()) t.comment(note);

t.test('amountToAuthorize: the estimate plus the tolerance on the weight lines, priced at maxGrams', async (t) => {
  const items = [
    { productId: 'a', name: 'Comté', by: 'weight' as const, unitPriceCents: 1234, quantity: 500, lineTotalCents: 617, maxGrams: 550, ifUnavailable: 'none' as const },
    { productId: 'b', name: 'Jam', by: 'piece' as const, unitPriceCents: 399, quantity: 2, lineTotalCents: 798, ifUnavailable: 'none' as const },
  ];
  t.equal(amountToAuthorize({ items, deliveryFeeCents: 299 }), 679 + 798 + 299, '1234 × 0.55 = 678.7 → 679');
  t.equal(amountToAuthorize({ items: [items[1]], deliveryFeeCents: 0 }), 798, 'no weight line: the total');
});

for (const target of targets) {
  t.test(`packing over HTTP on ${target.name}`, async (t) => {
    const smtp = await startSmtp();
    t.teardown(() => smtp.close());
    const shop = await startShop(target, { SMTP_URL: smtp.url });
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const s = shopping(shop, admin);
    const weighed = (fields: Record<string, unknown> = {}) =>
      s.product({ by: 'weight', priceCents: undefined, pricePerKgCents: 1234, stepGrams: 100, minGrams: 100, stock: 5000, ...fields });
    const addLine = (who: Customer, body: object) => shop.call('POST', '/api/cart/items', { token: who.accessToken, body });
    const pack = (orderId: string, productId: string, body: object, token = admin) =>
      shop.call('PATCH', `/api/admin/orders/${orderId}/lines/${productId}`, { token, body });
    const confirmed = async (who: Customer) => {
      const placed = await s.place(who);
      if (placed.status !== 202) throw new Error(placed.text);
      const order = await s.settled(who, placed.body.order.id);
      if (order.status !== 'confirmed') throw new Error(JSON.stringify(order));
      return order;
    };

    t.test('a weight line weighed heavier within the tolerance: the final total is what was weighed', async (t) => {
      const ann = await newCustomer(shop);
      const cheese = await weighed();
      const jam = await s.product({ priceCents: 399 });
      await addLine(ann, { productId: cheese.id, grams: 500 });
      await addLine(ann, { productId: jam.id, quantity: 2 });
      const order = await confirmed(ann);
      t.match(order.items[0], { by: 'weight', grams: 500, lineTotalCents: 617, maxGrams: 550 }, '10 % above, by default');
      t.equal(order.totalCents, 617 + 798);
      t.equal(await s.stock(cheese.id), 4500);

      const beyond = await pack(order.id, cheese.id, { packedGrams: 551 });
      t.equal(beyond.status, 422);
      t.equal(beyond.body.error.code, 'WEIGHT_BEYOND_TOLERANCE');
      t.equal((await s.order(ann, order.id)).totalCents, 617 + 798, 'refused: nothing changed');

      const packed = await pack(order.id, cheese.id, { packedGrams: 530 });
      t.equal(packed.status, 200, packed.text);
      t.match(packed.body.order.items[0], { grams: 500, lineTotalCents: 617, packed: { grams: 530, unitPriceCents: 1234, lineTotalCents: 654 } });
      t.equal(packed.body.order.totalCents, 654 + 798, '1234 × 0.53 = 654.02 → 654');
      t.ok(packed.body.order.totalCents <= amountToAuthorize({ items: [{ ...order.items[0], quantity: 500 }, { ...order.items[1] }], deliveryFeeCents: 0 }));
      t.equal(await s.stock(cheese.id), 4470, 'the hold follows the weighed grams');
      const again = await pack(order.id, cheese.id, { packedGrams: 480 });
      t.equal(again.body.order.totalCents, 592 + 798, 'packed again: the last weighing counts (lighter: any amount below)');
      t.equal(await s.stock(cheese.id), 4520);

      t.equal((await shop.call('PATCH', `/api/orders/${order.id}/status`, { token: admin, body: { status: 'shipped' } })).status, 200);
      await s.until(cheese.id, { stock: 4520, onHand: 4520 });
      const late = await pack(order.id, cheese.id, { packedGrams: 500 });
      t.equal(late.status, 422);
      t.equal(late.body.error.code, 'NOT_PACKABLE', 'a shipped order is not packed again');
      const mail = await smtp.find(ann.email, /on its way/);
      t.match(mail.text, /500 g of .*weighed 480 g/);
      t.match(mail.text, /Total: \$13\.90/);
    });

    t.test('a substituted line and a short line: the final total, the stock of every product, the mail', async (t) => {
      const bob = await newCustomer(shop, 'Bob');
      const pears = await s.product({ priceCents: 300, stock: 10 });
      const apples = await s.product({ priceCents: 250, stock: 10 });
      const dearer = await s.product({ priceCents: 500, stock: 10 });
      const rice = await s.product({ priceCents: 100, stock: 10 });
      const ham = await weighed({ stock: 1000 });
      await addLine(bob, { productId: pears.id, quantity: 2, ifUnavailable: 'substitute' });
      await addLine(bob, { productId: rice.id, quantity: 3 });
      await addLine(bob, { productId: ham.id, grams: 200, ifUnavailable: 'substitute' });
      const order = await confirmed(bob);
      t.equal(order.totalCents, 600 + 300 + 247);

      const refusals: [object, string, number, string][] = [
        [{ packedQuantity: 1, substituteId: apples.id }, rice.id, 422, 'SUBSTITUTION_NOT_WANTED'],
        [{ packedQuantity: 4 }, rice.id, 422, 'PACKED_ABOVE_ORDERED'],
        [{ packedGrams: 100 }, rice.id, 422, 'SOLD_BY_PIECE'],
        [{ packedQuantity: 1 }, ham.id, 422, 'SOLD_BY_WEIGHT'],
        [{ packedQuantity: 2, substituteId: pears.id }, pears.id, 422, 'SUBSTITUTE_MISMATCH'],
        [{ packedQuantity: 2, substituteId: ham.id }, pears.id, 422, 'SUBSTITUTE_MISMATCH'],
        [{ packedQuantity: 2, substituteId: 'no-such-product' }, pears.id, 422, 'PRODUCT_UNAVAILABLE'],
        [{ packedQuantity: 1, packedGrams: 100 }, rice.id, 400, 'VALIDATION_FAILED'],
        [{}, rice.id, 400, 'VALIDATION_FAILED'],
        [{ packedQuantity: -1 }, rice.id, 400, 'VALIDATION_FAILED'],
        [{ packedQuantity: 1 }, apples.id, 404, 'NOT_FOUND'],
      ];
      for (const [body, line, status, code] of refusals) {
        const answer = await pack(order.id, line, body);
        t.equal(answer.status, status, `${code}: ${answer.text}`);
        t.equal(answer.body.error.code, code);
      }
      t.equal((await pack(order.id, rice.id, { packedQuantity: 1 }, bob.accessToken)).status, 403, 'admins only');
      t.same(await s.order(bob, order.id), order, 'nothing changed');
      t.same([await s.stock(pears.id), await s.stock(apples.id), await s.stock(rice.id)], [8, 10, 7]);

      const substituted = await pack(order.id, pears.id, { packedQuantity: 2, substituteId: apples.id });
      t.equal(substituted.status, 200, substituted.text);
      t.match(substituted.body.order.items[0], {
        productId: pears.id,
        quantity: 2,
        packed: { quantity: 2, substitute: { productId: apples.id, name: apples.name }, unitPriceCents: 250, lineTotalCents: 500 },
      });
      const short = await pack(order.id, rice.id, { packedQuantity: 1 });
      t.match(short.body.order.items[1], { quantity: 3, packed: { quantity: 1, lineTotalCents: 100 } });
      const dear = await pack(order.id, ham.id, { packedGrams: 200, substituteId: (await weighed({ pricePerKgCents: 2000, stock: 1000 })).id });
      t.match(dear.body.order.items[2].packed, { grams: 200, unitPriceCents: 1234, lineTotalCents: 247 }, 'a dearer substitute costs the price ordered');
      t.equal(dear.body.order.totalCents, 500 + 100 + 247);
      t.same([await s.stock(pears.id), await s.stock(apples.id), await s.stock(rice.id), await s.stock(ham.id)], [10, 8, 9, 1000], 'the stock of both products follows');
      t.equal((await pack(order.id, pears.id, { packedQuantity: 2, substituteId: dearer.id })).body.order.items[0].packed.unitPriceCents, 300, 'the lower price: the one ordered');
      t.same([await s.stock(apples.id), await s.stock(dearer.id)], [10, 8], 'a new substitute: the first one gets its stock back');

      t.equal((await shop.call('PATCH', `/api/orders/${order.id}/status`, { token: admin, body: { status: 'shipped' } })).status, 200);
      await s.until(dearer.id, { stock: 8, onHand: 8 });
      await s.until(rice.id, { stock: 9, onHand: 9 });
      await s.until(pears.id, { stock: 10, onHand: 10 });
      const mail = await smtp.find(bob.email, /on its way/);
      t.match(mail.text, /Changes at packing/);
      t.match(mail.text, new RegExp(`2 × ${pears.name}: replaced by 2 × ${dearer.name}`));
      t.match(mail.text, new RegExp(`3 × ${rice.name}: only 1 available`));
    });

    t.test('cancelling a packed order gives back what it holds, substitutes too', async (t) => {
      const cy = await newCustomer(shop, 'Cy');
      const pears = await s.product({ priceCents: 300, stock: 10 });
      const apples = await s.product({ priceCents: 250, stock: 10 });
      await addLine(cy, { productId: pears.id, quantity: 2, ifUnavailable: 'substitute' });
      const order = await confirmed(cy);
      t.equal((await pack(order.id, pears.id, { packedQuantity: 1, substituteId: apples.id })).status, 200);
      t.same([await s.stock(pears.id), await s.stock(apples.id)], [10, 9]);
      t.equal((await shop.call('POST', `/api/orders/${order.id}/cancel`, { token: cy.accessToken })).status, 200);
      await s.until(apples.id, { stock: 10, onHand: 10 });
      t.equal((await pack(order.id, pears.id, { packedQuantity: 1 })).body.error.code, 'NOT_PACKABLE');
    });

    t.test('heavier than the stock left: 422 INSUFFICIENT_STOCK, nothing changed', async (t) => {
      const eve = await newCustomer(shop, 'Eve');
      const cheese = await weighed({ stock: 500 });
      await addLine(eve, { productId: cheese.id, grams: 500 });
      const order = await confirmed(eve);
      t.equal(await s.stock(cheese.id), 0);
      const heavier = await pack(order.id, cheese.id, { packedGrams: 520 });
      t.equal(heavier.status, 422);
      t.equal(heavier.body.error.code, 'INSUFFICIENT_STOCK');
      t.same(await s.order(eve, order.id), order, 'nothing changed');
      t.equal((await pack(order.id, cheese.id, { packedGrams: 500 })).status, 200, 'the weight ordered still packs');
    });

    t.test('100 identical packings at once: packed once, the stock moved once', async (t) => {
      const dee = await newCustomer(shop, 'Dee');
      const cheese = await weighed({ stock: 2000 });
      await addLine(dee, { productId: cheese.id, grams: 1000 });
      const order = await confirmed(dee);
      const answers = await Promise.all(Array.from({ length: 100 }, () => pack(order.id, cheese.id, { packedGrams: 1100 })));
      t.same([...new Set(answers.map((a) => a.status))], [200]);
      t.equal(await s.stock(cheese.id), 900);
      t.equal((await s.order(dee, order.id)).totalCents, 1357);
    });
  });
}
