import { DomainError, notFound } from '../errors.js';
import { taxesIncluded, type TaxClass, type TaxRates } from '../catalog/tax.js';
import { gramsRefusal, lineCents, MAX_LINE_GRAMS, type SoldBy } from '../catalog/weight.js';

/**
 * Whole numbers 1..99 per line; a cart holds at most 50 lines, a wishlist 200 products. The
 * functions' errors name these limits in the API reference (`/api/docs`, `npm run openapi`).
 */
export const MAX_QUANTITY = 99;
export const MAX_LINES = 50;
export const MAX_WISHLIST = 200;

/** What the customer wants if a line cannot be packed: a similar product chosen by the shop, or none (a refund). */
export const IF_UNAVAILABLE = ['substitute', 'none'] as const;
export type IfUnavailable = (typeof IF_UNAVAILABLE)[number];

export interface CartLine {
  productId: string;
  /** Units, or grams of a product sold by weight. */
  quantity: number;
  /** `none` when never set. */
  ifUnavailable: IfUnavailable;
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
  /**
   * Adds to the product's line, or starts one; refuses beyond the limits and changes nothing then.
   * `ifUnavailable`, when given, becomes the line's wish; a new line's is `none` otherwise.
   */
  add(userId: string, productId: string, quantity: number, limits: { maxQuantity: number; maxLines: number }, ifUnavailable?: IfUnavailable): Promise<AddOutcome>;
  /**
   * Sets a line's quantity (0 removes it; undefined keeps it, and the line's version) and, when
   * given, its wish; false when the cart has no such line.
   */
  set(userId: string, productId: string, quantity: number | undefined, ifUnavailable?: IfUnavailable): Promise<boolean>;
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
  taxClass: TaxClass;
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
  /** TAX_RATES: the cart shows the tax its prices include. */
  taxRates: TaxRates;
}

/** What a customer sends for a line: units of a product sold by the piece, grams of one sold by weight. */
export interface LineAmount {
  quantity?: number;
  grams?: number;
  ifUnavailable?: IfUnavailable;
}

/**
 * The amount of a line in the product's own unit (units, or grams), or the refusal: grams for a
 * product sold by the piece and units for one sold by weight are 422, and so is a weight off the
 * product's step, under its minimum or over the line limit. 0 (removing a line) is 0 either way.
 */
function amountOf(product: Pick<ProductInfo, 'by' | 'stepGrams' | 'minGrams'>, { quantity, grams }: LineAmount): number | undefined {
  if (quantity === 0 || grams === 0) return 0;
  if (product.by === 'piece') {
    if (grams !== undefined) throw new DomainError('SOLD_BY_PIECE', 'This product is sold by the piece: send quantity, not grams', [{ path: 'body.grams' }]);
    return quantity;
  }
  if (quantity !== undefined) throw new DomainError('SOLD_BY_WEIGHT', 'This product is sold by weight: send grams, not quantity', [{ path: 'body.quantity' }]);
  if (grams === undefined) return undefined;
  const refused = gramsRefusal({ stepGrams: product.stepGrams!, minGrams: product.minGrams! }, grams);
  if (refused) throw refused;
  return grams;
}

const unavailable = (what = 'This product') => new DomainError('PRODUCT_UNAVAILABLE', `${what} is not available`, [{ path: 'productId' }]);

/** Carts and wishlists, always shown with the products' current names, prices and images. */
export function createCart({ carts, wishlists, products, currency, taxRates }: CartDeps) {
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
    const items = lines.map(({ productId, quantity, ifUnavailable }) => {
      const p = found.get(productId);
      const unitPriceCents = p?.priceCents ?? 0;
      const by = p?.by ?? 'piece';
      return {
        productId,
        name: p?.name ?? 'Unknown product',
        by,
        unitPriceCents,
        ...(by === 'weight' ? { grams: quantity } : { quantity }),
        // By weight, an estimate: the customer pays for what is weighed at packing.
        lineTotalCents: lineCents(by, unitPriceCents, quantity),
        taxClass: p?.taxClass ?? 'standard',
        ifUnavailable,
        ...(p?.imageUrl ? { imageUrl: p.imageUrl, thumbnailUrl: p.thumbnailUrl ?? p.imageUrl } : {}),
        // Deleted or made unavailable since it was added: kept and shown, never ordered or counted.
        available: Boolean(p?.orderable),
      };
    });
    const counted = items.filter((i) => i.available);
    const subtotalCents = counted.reduce((sum, i) => sum + i.lineTotalCents, 0);
    const taxes = taxesIncluded(counted.map((i) => ({ taxClass: i.taxClass, grossCents: i.lineTotalCents })), taxRates);
    return { items, subtotalCents, taxes, currency };
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

    /** Units of a product sold by the piece (`quantity`), grams of one sold by weight (`grams`). */
    async add(userId: string, productId: string, line: LineAmount) {
      const product = await orderable(productId);
      const amount = amountOf(product, line)!;
      const max = product.by === 'weight' ? MAX_LINE_GRAMS : MAX_QUANTITY;
      const outcome = await carts.add(userId, productId, amount, { maxQuantity: max, maxLines: MAX_LINES }, line.ifUnavailable);
      if (outcome === 'too-many-lines') throw new DomainError('CART_FULL', `A cart holds at most ${MAX_LINES} products`);
      if (outcome === 'too-many' && product.by === 'weight') {
        throw new DomainError('WEIGHT_LIMIT', `At most ${MAX_LINE_GRAMS} g of one product per order`, [{ path: 'body.grams', maxGrams: MAX_LINE_GRAMS }]);
      }
      if (outcome === 'too-many') {
        throw new DomainError('QUANTITY_LIMIT', `At most ${MAX_QUANTITY} of one product per order`, [{ path: 'quantity' }]);
      }
      return view(userId);
    },

    /** A line's quantity or grams (0 removes it), and/or what the customer wants if it cannot be packed. */
    async setLine(userId: string, productId: string, line: LineAmount) {
      let amount: number | undefined;
      if (line.quantity !== undefined || line.grams !== undefined) {
        const [product] = await products([productId]);
        amount = product ? amountOf(product, line) : (line.quantity ?? line.grams);
        // Less of an unavailable product, or none, is fine; more of it is not.
        if (amount && product && !product.orderable) throw unavailable(`"${product.name}"`);
      }
      if (!(await carts.set(userId, productId, amount, line.ifUnavailable))) throw notFound('Cart item');
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
