import { createHash } from 'node:crypto';
import type { CartLine, ProductLookup, SeenLine } from '../cart/cart.js';
import { DomainError } from '../errors.js';
import type { TaxSnapshot } from '../catalog/tax.js';
import type { EventFactory } from '../events.js';
import { newPayment } from '../payments/payment.js';
import { amountToAuthorize } from './packing.js';
import type { PaymentMethod } from '../payments/provider.js';
import type { CallMeta, Clock, IdGenerator } from '../ports.js';
import type { PlaceOrder } from './inputs.js';
import type { OpenHoldings, Order, OrderAddress, OrderDelivery, OrderItem, OrderRepository } from './order.js';
import { lineCents, MAX_LINE_GRAMS, maxPackedGrams } from '../catalog/weight.js';
import { publicOrder } from './public-order.js';

/** What one customer may hold open at once (see openStatuses), so nobody can hold all of a product's stock. */
export interface OrderLimits {
  /** Open orders at most (TOO_MANY_OPEN_ORDERS beyond). */
  maxOpenOrders: number;
  /** Units of one product across the customer's open orders, the new one included (PRODUCT_LIMIT_REACHED beyond). */
  maxUnitsPerProduct: number;
}

/** Where and when an order is delivered, at what fee: decided by the delivery area (a port onto it). */
export interface DeliveryTerms {
  deliveryFeeCents: number;
  delivery?: OrderDelivery;
  /** The payment methods the address's zone takes; absent: every method the shop offers. */
  paymentMethods?: PaymentMethod[];
}

export interface PlacingDeps {
  orders: OrderRepository;
  /** The customer's cart lines (a port onto the cart). */
  cartLines(userId: string): Promise<CartLine[]>;
  /** Notes which cart lines an order takes, as it saw them, for the clean-up after confirmation. */
  noteOrdered(userId: string, orderId: string, lines: SeenLine[]): Promise<void>;
  products: ProductLookup;
  /** One of the customer's saved addresses (a port onto the accounts), or null. */
  addressOf(userId: string, addressId: string): Promise<OrderAddress | null>;
  /**
   * The delivery of an order to this address with this subtotal (a port onto the delivery
   * area): its zone, fee and slot; throws when the shop does not deliver it so (outside every
   * zone, under the minimum, a slot that does not fit). Checks only: nothing is held here.
   */
  deliveryTerms(address: OrderAddress, subtotalCents: number, slotId: string | undefined): Promise<DeliveryTerms>;
  currency: string;
  /** TAX_RATES and DELIVERY_TAX_CLASS now: each order keeps them as they were when it was placed. */
  tax: TaxSnapshot;
  /** Whether the shop takes cards now (STRIPE_SECRET_KEY set); cash on delivery is always taken. */
  cardsOffered: boolean;
  limits: OrderLimits;
  /** How far above the ordered weight a line sold by weight may be packed (WEIGHT_TOLERANCE_PERCENT). */
  weightTolerancePercent: number;
  clock: Clock;
  ids: IdGenerator;
  event: EventFactory;
}

/** The same request, however its JSON was written: keys sorted, so `{a, b}` and `{b, a}` match. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);

/**
 * The products an order holds stock of, as the saga's events carry them: each line's product, and
 * the substitute packed in its place (with what went; 0 when none of the product went).
 */
export const orderLines = (order: Order) =>
  order.items.flatMap(({ productId, quantity, packed }) =>
    !packed
      ? [{ productId, quantity }]
      : packed.substitute
        ? [{ productId, quantity: 0 }, { productId: packed.substitute.productId, quantity: packed.quantity }]
        : [{ productId, quantity: packed.quantity }],
  );
/** The slot an order holds a place in, as the saga's events carry it. */
export const slotOf = (order: Order) => (order.delivery?.slot ? { slotId: order.delivery.slot.id } : {});

/** Placing an order from the cart: the snapshot, the customer's limits, the idempotency key. */
export function createPlacing(deps: PlacingDeps) {
  const { orders, cartLines, noteOrdered, products, addressOf, deliveryTerms, currency, tax, cardsOffered, limits, weightTolerancePercent, clock, ids, event } = deps;
  /** The store calls it with what the customer holds open, while no other order of theirs can be made. */
  const admit = (order: Order) => (held: OpenHoldings) => {
    if (held.orders >= limits.maxOpenOrders) {
      throw new DomainError(
        'TOO_MANY_OPEN_ORDERS',
        `You have ${held.orders} open orders, the most you may have; wait until one ships or cancel one`,
        [{ openOrders: held.orders, max: limits.maxOpenOrders }],
      );
    }
    // By weight, grams: as much as one cart line may hold, across the open orders too.
    const maxOf = (i: OrderItem) => (i.by === 'weight' ? MAX_LINE_GRAMS : limits.maxUnitsPerProduct);
    const over = order.items.filter((i) => (held.units[i.productId] ?? 0) + i.quantity > maxOf(i));
    if (over.length) {
      throw new DomainError(
        'PRODUCT_LIMIT_REACHED',
        `Your open orders may hold at most ${limits.maxUnitsPerProduct} of one product (${MAX_LINE_GRAMS} g of one sold by weight)`,
        over.map((i) => ({ productId: i.productId, name: i.name, held: held.units[i.productId] ?? 0, quantity: i.quantity, max: maxOf(i) })),
      );
    }
  };

  async function build(userId: string, input: PlaceOrder, id: string): Promise<{ order: Order; seen: SeenLine[] }> {
    const lines = await cartLines(userId);
    const found = new Map((await products(lines.map((l) => l.productId))).map((p) => [p.id, p]));
    const taken = lines.filter((l) => found.get(l.productId)?.orderable);
    // Prices as they are now: the order keeps this snapshot whatever happens to the catalog.
    const orderItems = taken.map(({ productId, quantity, ifUnavailable }): OrderItem => {
      const p = found.get(productId)!;
      const lineTotalCents = lineCents(p.by, p.priceCents, quantity);
      const maxGrams = p.by === 'weight' ? { maxGrams: maxPackedGrams(quantity, weightTolerancePercent) } : {};
      return { productId, name: p.name, by: p.by, unitPriceCents: p.priceCents, quantity, lineTotalCents, ...maxGrams, taxClass: p.taxClass, ifUnavailable };
    });
    if (!orderItems.length) throw new DomainError('CART_EMPTY', 'The cart holds nothing that can be ordered');
    const address = input.address ?? (await addressOf(userId, input.addressId!));
    if (!address) throw new DomainError('UNKNOWN_ADDRESS', 'That is not one of your addresses', [{ path: 'body.addressId' }]);
    const subtotalCents = orderItems.reduce((sum, i) => sum + i.lineTotalCents, 0);
    const method = input.paymentMethod ?? 'cash_on_delivery';
    if (method === 'card' && !cardsOffered) {
      throw new DomainError('PAYMENT_METHOD_UNAVAILABLE', 'The shop takes no card payments now: choose cash on delivery', [{ path: 'body.paymentMethod' }]);
    }
    const { deliveryFeeCents, delivery, paymentMethods } = await deliveryTerms(address, subtotalCents, input.slotId);
    if (paymentMethods && !paymentMethods.includes(method)) {
      throw new DomainError('PAYMENT_METHOD_NOT_ALLOWED', `Orders to ${delivery?.zone.name ?? 'this address'} are paid by ${paymentMethods.join(' or ')}`, [
        { path: 'body.paymentMethod', allowed: paymentMethods },
      ]);
    }
    const now = clock.now();
    const order: Order = {
      id,
      userId,
      status: 'pending',
      items: orderItems,
      subtotalCents,
      deliveryFeeCents,
      totalCents: subtotalCents + deliveryFeeCents,
      currency,
      tax: { rates: { ...tax.rates }, deliveryClass: tax.deliveryClass },
      address,
      ...(delivery ? { delivery } : {}),
      ...(input.note ? { note: input.note } : {}),
      history: [{ status: 'pending', at: now, by: userId }],
      createdAt: now,
      updatedAt: now,
    };
    // A card authorises the estimate and the weighing tolerance; the final total is captured at shipping.
    order.payment = newPayment(method, method === 'card' ? amountToAuthorize(order) : order.totalCents);
    return { order, seen: taken.map(({ productId, version, added }) => ({ productId, version, added })) };
  }

  return {
    /**
     * A pending order from the cart (202): the same Idempotency-Key again answers the same order,
     * with another request it is refused; of concurrent requests with one key, one order is made.
     */
    async place(userId: string, input: PlaceOrder, { key, ...meta }: CallMeta & { key: string }) {
      const requestHash = createHash('sha256').update(canonical(input)).digest('base64url');
      const reused = () => new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request');
      const earlier = await orders.findByKey(userId, key);
      if (earlier) {
        if (earlier.requestHash !== requestHash) throw reused();
        return publicOrder(earlier.order, { owner: true });
      }
      const { order, seen } = await build(userId, input, ids());
      // The cart keeps what this order saw, by order id, so the clean-up after confirmation
      // leaves whatever the customer adds or changes meanwhile. Noted before the order exists:
      // a note for an order never stored only waits to expire. (The order's own storage and
      // events keep the items as they were: order.confirmed is built from the stored order.)
      await noteOrdered(userId, order.id, seen);
      const placed = event(
        'order.placed',
        { orderId: order.id, userId, items: orderLines(order), ...slotOf(order), totalCents: order.totalCents, currency: order.currency },
        meta,
      );
      const stored = await orders.create(order, { key, requestHash }, [placed], admit(order));
      if (!stored.created && stored.requestHash !== requestHash) throw reused();
      return publicOrder(stored.order, { owner: true });
    },
  };
}
