import type { Test } from 'tap';
import type { CartStore, WishlistStore } from '#domain/cart/cart.js';

const limits = { maxQuantity: 99, maxLines: 3 };

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
    t.same(await carts.lines('ann'), [
      { productId: 'p2', quantity: 5 },
      { productId: 'p1', quantity: 1 },
    ]);
    t.same(await carts.lines('bob'), [], 'carts are per customer');
  });

  t.test('limits: a line never passes the most per product, a cart never passes the most lines', async (t) => {
    await carts.add('ann', 'p1', 98, limits);
    t.equal(await carts.add('ann', 'p1', 2, limits), 'too-many');
    t.same(await carts.lines('ann'), [{ productId: 'p1', quantity: 98 }], 'nothing changed');
    await carts.add('ann', 'p2', 1, limits);
    await carts.add('ann', 'p3', 1, limits);
    t.equal(await carts.add('ann', 'p4', 1, limits), 'too-many-lines');
    t.equal(await carts.add('ann', 'p3', 1, limits), 'added', 'an existing line still grows');
    t.equal((await carts.lines('ann')).length, 3);
  });

  t.test('concurrent adds lose nothing', async (t) => {
    await Promise.all(Array.from({ length: 20 }, () => carts.add('ann', 'p1', 1, limits)));
    t.same(await carts.lines('ann'), [{ productId: 'p1', quantity: 20 }]);
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((p) => carts.add('cid', p, 1, limits)));
    t.equal(outcomes.filter((o) => o === 'added').length, 3, 'exactly the limit of lines, even when racing');
  });

  t.test('set changes a quantity, 0 removes the line, a missing line is refused', async (t) => {
    await carts.add('ann', 'p1', 2, limits);
    await carts.add('ann', 'p2', 2, limits);
    t.equal(await carts.set('ann', 'p1', 7), true);
    t.equal(await carts.set('ann', 'p2', 0), true);
    t.same(await carts.lines('ann'), [{ productId: 'p1', quantity: 7 }]);
    t.equal(await carts.set('ann', 'p9', 1), false);
    await carts.remove('ann', 'p1');
    await carts.remove('ann', 'p1');
    t.same(await carts.lines('ann'), []);
  });

  t.test('an order is taken out once; what was added since stays', async (t) => {
    await carts.add('ann', 'p1', 2, limits);
    await carts.add('ann', 'p2', 1, limits);
    await carts.add('ann', 'p1', 3, limits); // added after the order was placed
    const ordered = [
      { productId: 'p1', quantity: 2 },
      { productId: 'p2', quantity: 1 },
      { productId: 'gone', quantity: 1 },
    ];
    t.equal(await carts.removeOrdered('ann', 'o1', ordered), true);
    t.same(await carts.lines('ann'), [{ productId: 'p1', quantity: 3 }]);
    t.equal(await carts.removeOrdered('ann', 'o1', ordered), false, 'the same order again changes nothing');
    t.same(await carts.lines('ann'), [{ productId: 'p1', quantity: 3 }]);
    await carts.clear('ann');
    t.same(await carts.lines('ann'), []);
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
