import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CartStore, IfUnavailable, SeenLine, WishlistStore } from '#domain/cart/cart.js';

/** A cart or wishlist left alone this long is forgotten. */
const TTL_SECONDS = 60 * 24 * 3600;

const key = {
  /**
   * Hash: product id → `<quantity>:<position>:<version>:<added>[:s]` (CartLine; `:s` when the
   * customer wants a substitute); the position keeps the order lines were added in. Lines written
   * before versions are `<quantity>:<position>`.
   */
  cart: (userId: string) => `cart:${userId}`,
  positions: (userId: string) => `cart:${userId}:next`,
  /** Hash: order id → the lines it took as it saw them (JSON `[[productId, version, added], …]`). */
  notes: (userId: string) => `cart:${userId}:notes`,
  /** Orders taken out of the cart before notes existed (only deleted now). */
  applied: (userId: string) => `cart:${userId}:orders`,
  /** Sorted set: product id, scored by position (newest first when read). */
  wishlist: (userId: string) => `wishlist:${userId}`,
  wishPositions: (userId: string) => `wishlist:${userId}:next`,
  /** Sorted set: user id, scored by when the customer last changed their cart (ms). */
  touched: 'carts:touched',
};

/** Reads a line of any format: quantity, position, version, added, wish ('s': substitute, '': none). */
const parseLine = `
local function parse(line)
  local q, p, v, a, w = string.match(line, '^(%d+):(%d+):([^:]*):(%d+):?(%a*)$')
  if q then return tonumber(q), p, v, tonumber(a), w end
  q, p = string.match(line, '^(%d+):(%d+)$')
  return tonumber(q), p, '', tonumber(q), ''
end
local function write(key, productId, q, p, v, a, w)
  local wish = ''
  if w == 's' then wish = ':s' end
  redis.call('HSET', key, productId, q .. ':' .. p .. ':' .. v .. ':' .. a .. wish)
end
local function wished(given, current)
  if given == 's' then return 's' elseif given == 'n' then return '' end
  return current
end`;

// Each script reads and writes one customer's keys in one step: no lost update between tabs.
// A new version comes from the caller (random: Lua scripts draw none of their own).
const add = `${parseLine}
local line = redis.call('HGET', KEYS[1], ARGV[1])
local n = tonumber(ARGV[2])
local q, p, v, a, w
if line then
  q, p, v, a, w = parse(line)
  q, a = q + n, a + n
else
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return 'too-many-lines' end
  q, p, v, a, w = n, redis.call('INCR', KEYS[2]), ARGV[6], n, ''
end
if q > tonumber(ARGV[3]) then return 'too-many' end
write(KEYS[1], ARGV[1], q, p, v, a, wished(ARGV[7], w))
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 'added'`;

const set = `${parseLine}
local line = redis.call('HGET', KEYS[1], ARGV[1])
if not line then return 0 end
local q, p, v, a, w = parse(line)
w = wished(ARGV[5], w)
if ARGV[2] == '' then
  write(KEYS[1], ARGV[1], q, p, v, a, w)
  redis.call('EXPIRE', KEYS[1], ARGV[3])
elseif tonumber(ARGV[2]) > 0 then
  write(KEYS[1], ARGV[1], ARGV[2], p, ARGV[4], ARGV[2], w)
  redis.call('EXPIRE', KEYS[1], ARGV[3])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1`;

// Of a line the order saw (same version), what was added since it was seen stays; a line set or
// started again since has another version and stays whole. The note goes in the same step.
const removeOrdered = `${parseLine}
local seen = redis.call('HGET', KEYS[2], ARGV[1])
if not seen then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
for _, s in ipairs(cjson.decode(seen)) do
  local line = redis.call('HGET', KEYS[1], s[1])
  if line then
    local q, p, v, a, w = parse(line)
    if v == s[2] then
      local left = math.min(q, a - s[3])
      if left > 0 then write(KEYS[1], s[1], left, p, v, a, w) else redis.call('HDEL', KEYS[1], s[1]) end
    end
  end
end
return 1`;

const newVersion = () => randomBytes(6).toString('base64url');
/** A wish as the scripts take it: 's' substitute, 'n' none, '' keep the line's. */
const wishArg = (wish: IfUnavailable | undefined) => (wish === 'substitute' ? 's' : wish === 'none' ? 'n' : '');

const wish = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'present' end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 'full' end
redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 'added'`;

/** Carts in Redis through an ioredis client the caller created (key prefix included). */
export function redisCarts(redis: Redis): CartStore {
  // After the change, not in its script: the time of a touch only needs to be about right.
  const touch = (userId: string) => redis.zadd(key.touched, Date.now(), userId);
  return {
    async lines(userId) {
      const lines = Object.entries(await redis.hgetall(key.cart(userId))).map(([productId, value]) => {
        const [quantity, position, version = '', added = quantity, wish = ''] = value.split(':');
        const ifUnavailable: IfUnavailable = wish === 's' ? 'substitute' : 'none';
        return { productId, quantity: Number(quantity), position: Number(position), version, added: Number(added), ifUnavailable };
      });
      return lines.sort((a, b) => a.position - b.position).map(({ position: _, ...line }) => line);
    },
    async add(userId, productId, quantity, { maxQuantity, maxLines }, ifUnavailable) {
      const keys = [key.cart(userId), key.positions(userId)];
      const args = [productId, quantity, maxQuantity, maxLines, TTL_SECONDS, newVersion(), wishArg(ifUnavailable)];
      const outcome = (await redis.eval(add, 2, ...keys, ...args)) as 'added' | 'too-many-lines' | 'too-many';
      if (outcome === 'added') await touch(userId);
      return outcome;
    },
    async set(userId, productId, quantity, ifUnavailable) {
      const args = [productId, quantity ?? '', TTL_SECONDS, newVersion(), wishArg(ifUnavailable)];
      const changed = (await redis.eval(set, 1, key.cart(userId), ...args)) === 1;
      if (changed) await touch(userId);
      return changed;
    },
    async remove(userId, productId) {
      await redis.hdel(key.cart(userId), productId);
      await touch(userId);
    },
    async clear(userId) {
      await redis.del(key.cart(userId), key.positions(userId), key.notes(userId), key.applied(userId));
      await redis.zrem(key.touched, userId);
    },
    async idle(from, to, limit) {
      const found = await redis.zrangebyscore(key.touched, from.getTime(), to.getTime(), 'WITHSCORES', 'LIMIT', 0, limit);
      const idle: { userId: string; touchedAt: Date }[] = [];
      for (let i = 0; i < found.length; i += 2) idle.push({ userId: found[i], touchedAt: new Date(Number(found[i + 1])) });
      return idle;
    },
    async noteOrder(userId, orderId, seen: SeenLine[]) {
      const value = JSON.stringify(seen.map(({ productId, version, added }) => [productId, version, added]));
      const results = await redis.multi().hset(key.notes(userId), orderId, value).expire(key.notes(userId), TTL_SECONDS).exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    },
    async removeOrdered(userId, orderId) {
      return (await redis.eval(removeOrdered, 2, key.cart(userId), key.notes(userId), orderId)) === 1;
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
