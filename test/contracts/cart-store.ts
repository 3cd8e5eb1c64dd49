import type { Test } from 'tap';
import type { CartLine, CartStore, WishlistStore } from '#domain/cart/cart.js';

const limits = { maxQuantity: 99, maxLines: 3 };
const many = { maxQuantity: 99, maxLines: 10 };

/** Lines without their versions: what a customer sees. */
const plain = (lines: CartLine[]) => lines.map(({ productId, quantity }) => ({ productId, quantity }));

/** What every CartStore must do; each adapter's test runs it on fresh storage. */
export function cartStoreContract(t: Test, build: () => Promise<CartStore>) {
  let carts: CartStore;
  t.beforeEach(async () => {
    carts = await build();
  });

  t.test('lines keep the order they were first added in; adding again adds to the line', async (t) => {
    t.same(await carts.lines('ann'), []);
    t.equal(await carts.add('ann', 'p2', 2, limits), 'added');
    t.equal(await carts.add('ann', 'p1', 1, limits), 'added');
    t.equal(await carts.add('ann', 'p2', 3, limits), 'added');
    t.same(plain(await carts.lines('ann')), [
      { productId: 'p2', quantity: 5 },
      { productId: 'p1', quantity: 1 },
    ]);
    t.same(await carts.lines('bob'), [], 'carts are per customer');
  });

  t.test('idle carts: by the time the customer last changed them, oldest first; a clear forgets one', async (t) => {
    const start = new Date(Date.now() - 1000);
    // Touches a few milliseconds apart: the stores keep their time to the millisecond.
    const later = () => new Promise((resolve) => setTimeout(resolve, 5));
    await carts.add('ann', 'p1', 1, limits);
    await later();
    await carts.add('bob', 'p1', 1, limits);
    await carts.add('cid', 'p1', 1, limits);
    await later();
    await carts.set('ann', 'p1', 2);
    await carts.clear('cid');
    const idle = await carts.idle(start, new Date(Date.now() + 1000), 10);
    t.same(idle.map((c) => c.userId), ['bob', 'ann'], 'a change counts as a touch; a cleared cart is not idle');
    t.ok(idle.every((c) => c.touchedAt >= start), 'with the time of the touch');
    t.same(await carts.idle(start, new Date(Date.now() + 1000), 1).then((c) => c.map((x) => x.userId)), ['bob'], 'at most `limit`');
    t.same(await carts.idle(new Date(0), start, 10), [], 'none before');
  });

  t.test('limits: a line never passes the most per product, a cart never passes the most lines', async (t) => {
    await carts.add('ann', 'p1', 98, limits);
    t.equal(await carts.add('ann', 'p1', 2, limits), 'too-many');
    t.same(plain(await carts.lines('ann')), [{ productId: 'p1', quantity: 98 }], 'nothing changed');
    await carts.add('ann', 'p2', 1, limits);
    await carts.add('ann', 'p3', 1, limits);
    t.equal(await carts.add('ann', 'p4', 1, limits), 'too-many-lines');
    t.equal(await carts.add('ann', 'p3', 1, limits), 'added', 'an existing line still grows');
    t.equal((await carts.lines('ann')).length, 3);
  });

  t.test('concurrent adds lose nothing', async (t) => {
    await Promise.all(Array.from({ length: 20 }, () => carts.add('ann', 'p1', 1, limits)));
    t.same(plain(await carts.lines('ann')), [{ productId: 'p1', quantity: 20 }]);
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((p) => carts.add('cid', p, 1, limits)));
    t.equal(outcomes.filter((o) => o === 'added').length, 3, 'exactly the limit of lines, even when racing');
  });

  t.test("a line's wish if it cannot be packed: none until set, kept by adds and new quantities, set alone", async (t) => {
    const wishes = async () => (await carts.lines('ann')).map(({ productId, quantity, ifUnavailable }) => [productId, quantity, ifUnavailable]);
    await carts.add('ann', 'p1', 250, { maxQuantity: 10_000, maxLines: 3 });
    await carts.add('ann', 'p2', 1, limits, 'substitute');
    t.same(await wishes(), [['p1', 250, 'none'], ['p2', 1, 'substitute']]);
    await carts.add('ann', 'p2', 1, limits);
    await carts.add('ann', 'p1', 500, { maxQuantity: 10_000, maxLines: 3 }, 'substitute');
    t.same(await wishes(), [['p1', 750, 'substitute'], ['p2', 2, 'substitute']], 'an add without a wish keeps it');
    const [, before] = await carts.lines('ann');
    t.equal(await carts.set('ann', 'p2', undefined, 'none'), true);
    const [, after] = await carts.lines('ann');
    t.same(after, { ...before, ifUnavailable: 'none' }, 'the wish alone: quantity and version stay');
    await carts.set('ann', 'p1', 1000);
    t.same(await wishes(), [['p1', 1000, 'substitute'], ['p2', 2, 'none']], 'a new quantity keeps the wish');
    await carts.noteOrder('ann', 'o1', (await carts.lines('ann')).map(({ productId, version, added }) => ({ productId, version, added })));
    await carts.add('ann', 'p1', 250, { maxQuantity: 10_000, maxLines: 3 });
    await carts.removeOrdered('ann', 'o1');
    t.same(await wishes(), [['p1', 250, 'substitute']], 'what an order leaves keeps its wish');
    t.equal(await carts.set('ann', 'p9', undefined, 'substitute'), false);
  });

  t.test('set changes a quantity, 0 removes the line, a missing line is refused', async (t) => {
    await carts.add('ann', 'p1', 2, limits);
    await carts.add('ann', 'p2', 2, limits);
    t.equal(await carts.set('ann', 'p1', 7), true);
    t.equal(await carts.set('ann', 'p2', 0), true);
    t.same(plain(await carts.lines('ann')), [{ productId: 'p1', quantity: 7 }]);
    t.equal(await carts.set('ann', 'p9', 1), false);
    await carts.remove('ann', 'p1');
    await carts.remove('ann', 'p1');
    t.same(await carts.lines('ann'), []);
  });

  t.test('an order takes the lines it saw: more of a product stays, a line set or started again stays, an untouched line goes', async (t) => {
    for (const [p, n] of [['p1', 2], ['p2', 1], ['p3', 1], ['p4', 1]] as const) await carts.add('ann', p, n, many);
    await carts.noteOrder('ann', 'o1', await carts.lines('ann'));
    // The customer shops on before the order is confirmed.
    await carts.add('ann', 'p1', 3, many);
    await carts.set('ann', 'p2', 4);
    await carts.remove('ann', 'p3');
    await carts.add('ann', 'p3', 2, many);
    await carts.add('ann', 'p5', 1, many);
    t.equal(await carts.removeOrdered('ann', 'o1'), true);
    const after = [
      { productId: 'p1', quantity: 3 },
      { productId: 'p2', quantity: 4 },
      { productId: 'p3', quantity: 2 },
      { productId: 'p5', quantity: 1 },
    ];
    t.same(plain(await carts.lines('ann')), after, 'exactly what was added or changed after the order was placed');
    t.equal(await carts.removeOrdered('ann', 'o1'), false, 'a redelivery changes nothing');
    t.same(plain(await carts.lines('ann')), after);
    t.equal(await carts.removeOrdered('ann', 'never-noted'), false, 'an order without a note takes nothing');
    t.same(plain(await carts.lines('ann')), after);
  });

  t.test('a line set back to the quantity the order saw is still a change, and stays', async (t) => {
    await carts.add('ann', 'p1', 2, many);
    await carts.noteOrder('ann', 'o1', await carts.lines('ann'));
    await carts.set('ann', 'p1', 2);
    await carts.removeOrdered('ann', 'o1');
    t.same(plain(await carts.lines('ann')), [{ productId: 'p1', quantity: 2 }]);
  });

  t.test('two orders placed from one line before either clean-up take each unit once, in either order', async (t) => {
    for (const [user, first, second] of [['ann', 'o1', 'o2'], ['bob', 'o2', 'o1']]) {
      await carts.add(user, 'p1', 2, many);
      await carts.noteOrder(user, 'o1', await carts.lines(user));
      await carts.add(user, 'p1', 3, many);
      await carts.noteOrder(user, 'o2', await carts.lines(user)); // took all 5
      await carts.add(user, 'p1', 1, many);
      await carts.removeOrdered(user, first);
      await carts.removeOrdered(user, second);
      t.same(plain(await carts.lines(user)), [{ productId: 'p1', quantity: 1 }], `${first} first`);
    }
  });

  t.test('after a clear, the same product added again is not the order\'s', async (t) => {
    await carts.add('ann', 'p1', 2, many);
    await carts.noteOrder('ann', 'o1', await carts.lines('ann'));
    await carts.clear('ann');
    await carts.add('ann', 'p1', 2, many);
    await carts.removeOrdered('ann', 'o1');
    t.same(plain(await carts.lines('ann')), [{ productId: 'p1', quantity: 2 }]);
    await carts.clear('ann');
    t.same(await carts.lines('ann'), []);
  });

  t.test('concurrent deliveries of one clean-up, amid adds: it applies once and no add is lost', async (t) => {
    await carts.add('ann', 'p1', 2, many);
    await carts.add('ann', 'p2', 1, many);
    await carts.noteOrder('ann', 'o1', await carts.lines('ann'));
    const [outcomes] = await Promise.all([
      Promise.all(Array.from({ length: 50 }, () => carts.removeOrdered('ann', 'o1'))),
      Promise.all(Array.from({ length: 20 }, () => carts.add('ann', 'p1', 1, many))),
    ]);
    t.equal(outcomes.filter(Boolean).length, 1, 'one delivery took the lines');
    t.same(plain(await carts.lines('ann')), [{ productId: 'p1', quantity: 20 }], 'every unit added meanwhile stayed');
  });
}

export function wishlistStoreContract(t: Test, build: () => Promise<WishlistStore>) {
  let wishlists: WishlistStore;
  t.beforeEach(async () => {
    wishlists = await build();
  });

  t.test('no duplicates, newest first, a limit, removal', async (t) => {
    t.equal(await wishlists.add('ann', 'p1', 3), 'added');
    t.equal(await wishlists.add('ann', 'p2', 3), 'added');
    t.equal(await wishlists.add('ann', 'p1', 3), 'present');
    t.same(await wishlists.items('ann'), ['p2', 'p1']);
    t.equal(await wishlists.add('ann', 'p3', 3), 'added');
    t.equal(await wishlists.add('ann', 'p4', 3), 'full');
    await wishlists.remove('ann', 'p2');
    await wishlists.remove('ann', 'p2');
    t.same(await wishlists.items('ann'), ['p3', 'p1']);
    t.same(await wishlists.items('bob'), []);
    await wishlists.clear('ann');
    t.same(await wishlists.items('ann'), []);
  });
}
