import { randomBytes } from 'node:crypto';
import { eventually, type newCustomer, type Shop } from './shop.js';

export const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
export const key = () => `key-${randomBytes(6).toString('hex')}`;
export type Customer = Awaited<ReturnType<typeof newCustomer>>;

/** The shop's helpers for this suite: products, carts and orders over HTTP. */
export function shopping(shop: Shop, admin: string) {
  const as = (token: string) => ({ token });
  let n = 0;
  const helpers = {
    async product(fields: Record<string, unknown> = {}) {
      const created = await shop.call('POST', '/api/products', {
        token: admin,
        body: { name: `Product ${++n} ${randomBytes(3).toString('hex')}`, category: 'pantry', priceCents: 250, stock: 10, ...fields },
      });
      if (created.status !== 201) throw new Error(`product: ${created.text}`);
      return created.body.product as { id: string; name: string; priceCents: number; stock: number };
    },
    add: (who: Customer, productId: string, quantity: number) => shop.call('POST', '/api/cart/items', { ...as(who.accessToken), body: { productId, quantity } }),
    cart: async (who: Customer) => (await shop.call('GET', '/api/cart', as(who.accessToken))).body,
    /** `idempotencyKey` null sends no Idempotency-Key header. */
    place: (who: Customer, body: unknown = { address }, idempotencyKey: string | null = key()) =>
      shop.call('POST', '/api/orders', { ...as(who.accessToken), body, headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey } }),
    order: async (who: Customer | string, id: string) =>
      (await shop.call('GET', `/api/orders/${id}`, as(typeof who === 'string' ? who : who.accessToken))).body.order,
    /** Waits until the saga has moved the order out of pending. */
    async settled(who: Customer, id: string) {
      return eventually(async () => {
        const order = await helpers.order(who, id);
        return order.status === 'pending' ? null : order;
      }, 60);
    },
    stock: async (id: string) => (await shop.call('GET', `/api/products/${id}`)).body.product.stock as number,
    /** Available and on the shelf, as a product page shows them. */
    async numbers(id: string) {
      const { stock, onHand } = (await shop.call('GET', `/api/products/${id}`)).body.product;
      return { stock, onHand };
    },
    /** Waits until the product page shows these numbers (the saga moves them after the answer). */
    async until(id: string, wanted: { stock: number; onHand: number }) {
      return eventually(async () => {
        const now = await helpers.numbers(id);
        return now.stock === wanted.stock && now.onHand === wanted.onHand ? now : null;
      }, 60);
    },
  };
  return helpers;
}
