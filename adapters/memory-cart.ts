import type { CartLine, CartStore, SeenLine, WishlistStore } from '#domain/cart/cart.js';

/**
 * Carts and wishlists in this process's memory: the embedded default. Nothing survives a
 * restart and nothing is shared between processes, so it is not for production.
 */
/** Order notes kept per customer, the oldest dropped first: a rejected order's note is never taken. */
const MAX_NOTES = 100;

export function memoryCarts(): CartStore {
  type Line = Omit<CartLine, 'productId'>;
  const carts = new Map<string, Map<string, Line>>();
  const notes = new Map<string, Map<string, SeenLine[]>>();
  /** When each customer last changed their cart. */
  const touched = new Map<string, number>();
  const touch = (userId: string) => {
    touched.delete(userId);
    touched.set(userId, Date.now());
  };
  // Versions only need to differ from every earlier one of this store.
  let versions = 0;
  const version = () => String(++versions);
  // A Map keeps insertion order: the order lines were first added.
  const cart = (userId: string) => carts.get(userId) ?? carts.set(userId, new Map()).get(userId)!;

  // Every method changes the maps without awaiting in between: each is atomic, as a Lua script is.
  return {
    async lines(userId) {
      return [...(carts.get(userId) ?? [])].map(([productId, line]) => ({ productId, ...line }));
    },
    async add(userId, productId, quantity, { maxQuantity, maxLines }, ifUnavailable) {
      const lines = cart(userId);
      const current = lines.get(productId);
      if (!current && lines.size >= maxLines) return 'too-many-lines';
      if ((current?.quantity ?? 0) + quantity > maxQuantity) return 'too-many';
      const wish = ifUnavailable ?? current?.ifUnavailable ?? 'none';
      if (current) lines.set(productId, { ...current, quantity: current.quantity + quantity, added: current.added + quantity, ifUnavailable: wish });
      else lines.set(productId, { quantity, version: version(), added: quantity, ifUnavailable: wish });
      touch(userId);
      return 'added';
    },
    async set(userId, productId, quantity, ifUnavailable) {
      const lines = carts.get(userId);
      const current = lines?.get(productId);
      if (!lines || !current) return false;
      const wish = ifUnavailable ?? current.ifUnavailable;
      if (quantity === undefined) lines.set(productId, { ...current, ifUnavailable: wish });
      else if (quantity > 0) lines.set(productId, { quantity, version: version(), added: quantity, ifUnavailable: wish });
      else lines.delete(productId);
      touch(userId);
      return true;
    },
    async remove(userId, productId) {
      carts.get(userId)?.delete(productId);
      touch(userId);
    },
    async clear(userId) {
      carts.delete(userId);
      notes.delete(userId);
      touched.delete(userId);
    },
    // Kept in the order of the last touch: the oldest come first.
    async idle(from, to, limit) {
      const found: { userId: string; touchedAt: Date }[] = [];
      for (const [userId, at] of touched) {
        if (at > to.getTime() || found.length >= limit) break;
        if (at >= from.getTime()) found.push({ userId, touchedAt: new Date(at) });
      }
      return found;
    },
    async noteOrder(userId, orderId, seen) {
      const mine = notes.get(userId) ?? notes.set(userId, new Map()).get(userId)!;
      mine.set(orderId, seen);
      if (mine.size > MAX_NOTES) mine.delete(mine.keys().next().value!);
    },
    async removeOrdered(userId, orderId) {
      const seen = notes.get(userId)?.get(orderId);
      if (!seen) return false;
      notes.get(userId)!.delete(orderId);
      const lines = carts.get(userId);
      for (const { productId, version, added } of seen) {
        const line = lines?.get(productId);
        if (line?.version !== version) continue;
        const left = Math.min(line.quantity, line.added - added);
        if (left > 0) lines!.set(productId, { ...line, quantity: left });
        else lines!.delete(productId);
      }
      return true;
    },
  };
}

export function memoryWishlists(): WishlistStore {
  const lists = new Map<string, string[]>();
  return {
    async items(userId) {
      return [...(lists.get(userId) ?? [])];
    },
    async add(userId, productId, max) {
      const list = lists.get(userId) ?? [];
      if (list.includes(productId)) return 'present';
      if (list.length >= max) return 'full';
      lists.set(userId, [productId, ...list]);
      return 'added';
    },
    async remove(userId, productId) {
      lists.set(userId, (lists.get(userId) ?? []).filter((id) => id !== productId));
    },
    async clear(userId) {
      lists.delete(userId);
    },
  };
}
