import type { Redis } from 'ioredis';
import type { CartStore, WishlistStore } from '#domain/cart/cart.js';

/** A cart or wishlist left alone this long is forgotten. */
const TTL_SECONDS = 60 * 24 * 3600;

const key = {
  /** Hash: product id → `<quantity>:<position>`; the position keeps the order lines were added in. */
  cart: (userId: string) => `cart:${userId}`,
  positions: (userId: string) => `cart:${userId}:next`,
  /** Orders already taken out of the cart (clear-ordered-items runs once per order). */
  applied: (userId: string) => `cart:${userId}:orders`,
  /** Sorted set: product id, scored by position (newest first when read). */
  wishlist: (userId: string) => `wishlist:${userId}`,
  wishPositions: (userId: string) => `wishlist:${userId}:next`,
};

// Each script reads and writes one customer's keys in one step: no lost update between tabs.
const add = `
local line = redis.call('HGET', KEYS[1], ARGV[1])
local quantity, position
if line then
  local q, p = string.match(line, '^(%d+):(%d+)$')
  quantity, position = tonumber(q) + tonumber(ARGV[2]), p
else
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return 'too-many-lines' end
  quantity, position = tonumber(ARGV[2]), redis.call('INCR', KEYS[2])
end
if quantity > tonumber(ARGV[3]) then return 'too-many' end
redis.call('HSET', KEYS[1], ARGV[1], quantity .. ':' .. position)
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 'added'`;

const set = `
local line = redis.call('HGET', KEYS[1], ARGV[1])
if not line then return 0 end
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. string.match(line, ':(%d+)$'))
  redis.call('EXPIRE', KEYS[1], ARGV[3])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1`;

const removeOrdered = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('EXPIRE', KEYS[2], ARGV[2])
for i = 3, #ARGV, 2 do
  local line = redis.call('HGET', KEYS[1], ARGV[i])
  if line then
    local q, p = string.match(line, '^(%d+):(%d+)$')
    local left = tonumber(q) - tonumber(ARGV[i + 1])
    if left > 0 then redis.call('HSET', KEYS[1], ARGV[i], left .. ':' .. p) else redis.call('HDEL', KEYS[1], ARGV[i]) end
  end
end
return 1`;

const wish = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'present' end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 'full' end
redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 'added'`;

/** Carts in Redis through an ioredis client the caller created (key prefix included). */
export function redisCarts(redis: Redis): CartStore {
  return {
    async lines(userId) {
      const lines = Object.entries(await redis.hgetall(key.cart(userId))).map(([productId, value]) => {
        const [quantity, position] = value.split(':').map(Number);
        return { productId, quantity, position };
      });
      return lines.sort((a, b) => a.position - b.position).map(({ productId, quantity }) => ({ productId, quantity }));
    },
    async add(userId, productId, quantity, { maxQuantity, maxLines }) {
      const keys = [key.cart(userId), key.positions(userId)];
      return (await redis.eval(add, 2, ...keys, productId, quantity, maxQuantity, maxLines, TTL_SECONDS)) as 'added' | 'too-many-lines' | 'too-many';
    },
    async set(userId, productId, quantity) {
      return (await redis.eval(set, 1, key.cart(userId), productId, quantity, TTL_SECONDS)) === 1;
    },
    async remove(userId, productId) {
      await redis.hdel(key.cart(userId), productId);
    },
    async clear(userId) {
      await redis.del(key.cart(userId), key.positions(userId));
    },
    async removeOrdered(userId, orderId, items) {
      const pairs = items.flatMap(({ productId, quantity }) => [productId, quantity]);
      return (await redis.eval(removeOrdered, 2, key.cart(userId), key.applied(userId), orderId, TTL_SECONDS, ...pairs)) === 1;
    },
  };
}

/** Wishlists in Redis through an ioredis client the caller created (key prefix included). */
export function redisWishlists(redis: Redis): WishlistStore {
  return {
    items: (userId) => redis.zrevrange(key.wishlist(userId), 0, -1),
    async add(userId, productId, max) {
      const keys = [key.wishlist(userId), key.wishPositions(userId)];
      return (await redis.eval(wish, 2, ...keys, productId, max, TTL_SECONDS)) as 'added' | 'present' | 'full';
    },
    async remove(userId, productId) {
      await redis.zrem(key.wishlist(userId), productId);
    },
    async clear(userId) {
      await redis.del(key.wishlist(userId), key.wishPositions(userId));
    },
  };
}
