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
