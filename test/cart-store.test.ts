import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { memoryCarts, memoryWishlists } from '#adapters/memory-cart.js';
import { redisCarts, redisWishlists } from '#adapters/redis-cart.js';
import { cartStoreContract, wishlistStoreContract } from './contracts/cart-store.js';
import { redisUrl } from './helpers/targets.js';

t.test('memory carts', async (t) => cartStoreContract(t, async () => memoryCarts()));
t.test('memory wishlists', async (t) => wishlistStoreContract(t, async () => memoryWishlists()));

const skip = redisUrl ? false : 'REDIS_URL not set: Redis suite SKIPPED';
/** A client with a key prefix of its own, closed when the test ends. */
const fresh = (t: Test) => {
  const redis = new Redis(redisUrl!, { keyPrefix: `test:${randomBytes(4).toString('hex')}:` });
  t.teardown(() => redis.quit());
  return redis;
};
t.test('redis carts', { skip }, async (t) => cartStoreContract(t, async () => redisCarts(fresh(t))));
t.test('redis wishlists', { skip }, async (t) => wishlistStoreContract(t, async () => redisWishlists(fresh(t))));

t.test('redis carts: a line stored before versions is read, added to and taken by an order', { skip }, async (t) => {
  const redis = fresh(t);
  const carts = redisCarts(redis);
  await redis.hset('cart:ann', 'p1', '2:1');
  t.match(await carts.lines('ann'), [{ productId: 'p1', quantity: 2, version: '', added: 2 }]);
  await carts.noteOrder('ann', 'o1', await carts.lines('ann'));
  t.equal(await carts.add('ann', 'p1', 3, { maxQuantity: 99, maxLines: 50 }), 'added');
  t.equal(await carts.removeOrdered('ann', 'o1'), true);
  t.match(await carts.lines('ann'), [{ productId: 'p1', quantity: 3 }], 'what was added after the order stayed');
});
