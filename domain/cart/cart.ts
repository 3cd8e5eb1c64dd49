import { DomainError, notFound } from '../errors.js';
import type { SoldBy } from '../catalog/weight.js';

/**
 * Whole numbers 1..99 per line; a cart holds at most 50 lines, a wishlist 200 products. The
 * functions' errors name these limits in the API reference (`/api/docs`, `npm run openapi`).
 */
export const MAX_QUANTITY = 99;
export const MAX_LINES = 50;
export const MAX_WISHLIST = 200;

export interface CartLine {
  productId: string;
  quantity: number;
  /** Which line this is: new when the line is started or set to a quantity; adding to it keeps it. */
  version: string;
  /** How many were ever added to the line under this version: the first `added - quantity` left with orders. */
  added: number;
}

/** A cart line as an order saw it when it was placed. */
export type SeenLine = Pick<CartLine, 'productId' | 'version' | 'added'>;

export type AddOutcome = 'added' | 'too-many-lines' | 'too-many';

/**
 * Each customer's cart: Redis in production, memory by default. Every write is atomic on the
 * one cart, so two tabs adding at once never lose a line.
 */
export interface CartStore {
  /** The lines in the order they were first added. */
  lines(userId: string): Promise<CartLine[]>;
  /** Adds to the product's line, or starts one; refuses beyond the limits and changes nothing then. */
  add(userId: string, productId: string, quantity: number, limits: { maxQuantity: number; maxLines: number }): Promise<AddOutcome>;
  /** Sets a line's quantity (0 removes it); false when the cart has no such line. */
  set(userId: string, productId: string, quantity: number): Promise<boolean>;
  remove(userId: string, productId: string): Promise<void>;
  clear(userId: string): Promise<void>;
  /** Notes the lines an order takes, as it saw them; made before the order is stored. */
  noteOrder(userId: string, orderId: string, lines: SeenLine[]): Promise<void>;
  /**
   * Takes a noted order's lines out of the cart, in one atomic step, and forgets the note: of a
   * line with the version the order saw, what was added since stays; a line set or started
   * again since is left alone. True the first time, false after (or without a note), so a
   * redelivered event never takes twice.
   */
  removeOrdered(userId: string, orderId: string): Promise<boolean>;
  /**
   * Customers whose cart the customer last changed (add, set, remove) between `from` and `to`,
   * oldest first, at most `limit`: the abandoned carts. Clearing a cart forgets it; an order
   * taking lines out is no change by the customer.
   */
  idle(from: Date, to: Date, limit: number): Promise<{ userId: string; touchedAt: Date }[]>;
}

/** Each customer's wishlist: products without duplicates, newest first. */
export interface WishlistStore {
  items(userId: string): Promise<string[]>;
  /** 'present' when it was there already (nothing changes), 'full' at the limit. */
  add(userId: string, productId: string, max: number): Promise<'added' | 'present' | 'full'>;
  remove(userId: string, productId: string): Promise<void>;
  clear(userId: string): Promise<void>;
}

/** What the cart and the orders need to know of a product (a port onto the catalog). */
export interface ProductInfo {
  id: string;
  name: string;
  /** Per unit, or per kilogram when sold by weight. */
  priceCents: number;
  by: SoldBy;
  /** Sold by weight: the step and the minimum of a line, in grams. */
  stepGrams?: number;
  minGrams?: number;
  currency: string;
  imageUrl?: string;
  thumbnailUrl?: string;
  /** Deleted, marked unavailable, or priced in another currency than the shop's: never ordered. */
  orderable: boolean;
  /** Deleted products are still found, so carts and wishlists can name them. */
  deleted: boolean;
}

/** The products of these ids that exist (deleted ones too). */
export type ProductLookup = (ids: string[]) => Promise<ProductInfo[]>;

export interface CartDeps {
  carts: CartStore;
  wishlists: WishlistStore;
  products: ProductLookup;
  currency: string;
}

const unavailable = (what = 'This product') => new DomainError('PRODUCT_UNAVAILABLE', `${what} is not available`, [{ path: 'productId' }]);

/** Carts and wishlists, always shown with the products' current names, prices and images. */
export function createCart({ carts, wishlists, products, currency }: CartDeps) {
  const byId = async (ids: string[]) => new Map((await products(ids)).map((p) => [p.id, p]));

  /** A product a customer may put in the cart now: 404 when it never existed, 422 when it cannot be ordered. */
  async function orderable(productId: string) {
    const [product] = await products([productId]);
    if (!product) throw notFound('Product');
    if (!product.orderable) throw unavailable(`"${product.name}"`);
    return product;
  }

  async function view(userId: string) {
    const lines = await carts.lines(userId);
    const found = await byId(lines.map((l) => l.productId));
    const items = lines.map(({ productId, quantity }) => {
      const p = found.get(productId);
      const unitPriceCents = p?.priceCents ?? 0;
      return {
        productId,
        name: p?.name ?? 'Unknown product',
        unitPriceCents,
        quantity,
        lineTotalCents: unitPriceCents * quantity,
        ...(p?.imageUrl ? { imageUrl: p.imageUrl, thumbnailUrl: p.thumbnailUrl ?? p.imageUrl } : {}),
        // Deleted or made unavailable since it was added: kept and shown, never ordered or counted.
        available: Boolean(p?.orderable),
      };
    });
    const subtotalCents = items.filter((i) => i.available).reduce((sum, i) => sum + i.lineTotalCents, 0);
    return { items, subtotalCents, currency };
  }

  async function wishlist(userId: string) {
    const ids = await wishlists.items(userId);
    const found = await byId(ids);
    return {
      items: ids.flatMap((productId) => {
        const p = found.get(productId);
        if (!p) return [];
        return [
          {
            productId,
            name: p.name,
            priceCents: p.priceCents,
            currency: p.currency,
            ...(p.imageUrl ? { imageUrl: p.imageUrl, thumbnailUrl: p.thumbnailUrl ?? p.imageUrl } : {}),
            available: p.orderable,
          },
        ];
      }),
    };
  }

  return {
    view,

    async add(userId: string, productId: string, quantity: number) {
      await orderable(productId);
      const outcome = await carts.add(userId, productId, quantity, { maxQuantity: MAX_QUANTITY, maxLines: MAX_LINES });
      if (outcome === 'too-many-lines') throw new DomainError('CART_FULL', `A cart holds at most ${MAX_LINES} products`);
      if (outcome === 'too-many') {
        throw new DomainError('QUANTITY_LIMIT', `At most ${MAX_QUANTITY} of one product per order`, [{ path: 'quantity' }]);
      }
      return view(userId);
    },

    async setQuantity(userId: string, productId: string, quantity: number) {
      // Less of an unavailable product, or none, is fine; more of it is not.
      if (quantity > 0) {
        const [product] = await products([productId]);
        if (product && !product.orderable) throw unavailable(`"${product.name}"`);
      }
      if (!(await carts.set(userId, productId, quantity))) throw notFound('Cart item');
      return view(userId);
    },

    async remove(userId: string, productId: string) {
      await carts.remove(userId, productId);
      return view(userId);
    },

    clear: (userId: string) => carts.clear(userId),

    /** clear-ordered-items: once per confirmed order. */
    removeOrdered: (userId: string, orderId: string) => carts.removeOrdered(userId, orderId),

    wishlist,

    async wish(userId: string, productId: string) {
      const [product] = await products([productId]);
      if (!product) throw notFound('Product');
      // An unavailable product may be wished for (until it is back); a deleted one is gone.
      if (product.deleted) throw unavailable(`"${product.name}"`);
      if ((await wishlists.add(userId, productId, MAX_WISHLIST)) === 'full') {
        throw new DomainError('WISHLIST_FULL', `A wishlist holds at most ${MAX_WISHLIST} products`);
      }
      return wishlist(userId);
    },

    async unwish(userId: string, productId: string) {
      await wishlists.remove(userId, productId);
      return wishlist(userId);
    },

    /** forget-user: a deleted customer's cart and wishlist go. */
    async forget(userId: string) {
      await Promise.all([carts.clear(userId), wishlists.clear(userId)]);
    },
  };
}

export type Cart = ReturnType<typeof createCart>;
