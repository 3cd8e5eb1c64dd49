import type { CartStore, WishlistStore } from '#domain/cart/cart.js';

/**
 * Carts and wishlists in this process's memory: the embedded default. Nothing survives a
 * restart and nothing is shared between processes, so it is not for production.
 */
export function memoryCarts(): CartStore {
  const carts = new Map<string, Map<string, number>>();
  const applied = new Map<string, Set<string>>();
  // A Map keeps insertion order: the order lines were first added.
  const cart = (userId: string) => carts.get(userId) ?? carts.set(userId, new Map()).get(userId)!;

  return {
    async lines(userId) {
      return [...(carts.get(userId) ?? [])].map(([productId, quantity]) => ({ productId, quantity }));
    },
    async add(userId, productId, quantity, { maxQuantity, maxLines }) {
      const lines = cart(userId);
      const current = lines.get(productId);
      if (current === undefined && lines.size >= maxLines) return 'too-many-lines';
      if ((current ?? 0) + quantity > maxQuantity) return 'too-many';
      lines.set(productId, (current ?? 0) + quantity);
      return 'added';
    },
    async set(userId, productId, quantity) {
      const lines = carts.get(userId);
      if (!lines?.has(productId)) return false;
      if (quantity > 0) lines.set(productId, quantity);
      else lines.delete(productId);
      return true;
    },
    async remove(userId, productId) {
      carts.get(userId)?.delete(productId);
    },
    async clear(userId) {
      carts.delete(userId);
    },
    async removeOrdered(userId, orderId, items) {
      const done = applied.get(userId) ?? applied.set(userId, new Set()).get(userId)!;
      if (done.has(orderId)) return false;
      done.add(orderId);
      const lines = carts.get(userId);
      for (const { productId, quantity } of items) {
        const left = (lines?.get(productId) ?? 0) - quantity;
        if (left > 0) lines!.set(productId, left);
        else lines?.delete(productId);
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
