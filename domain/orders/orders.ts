import { createHash } from 'node:crypto';
import type { CartLine, ProductLookup, SeenLine } from '../cart/cart.js';
import { DomainError, notFound } from '../errors.js';
import type { EventFactory } from '../events.js';
import type { CallMeta, Clock, DomainEvent, IdGenerator } from '../ports.js';
import type { Page } from '../users/user.js';
import type { AllOrdersQuery, PlaceOrder } from './inputs.js';
import { openStatuses, type CancelReason, type OpenHoldings, type Order, type OrderAddress, type OrderRepository, type OrderStatus } from './order.js';

/** What one customer may hold open at once (see openStatuses), so nobody can hold all of a product's stock. */
export interface OrderLimits {
  /** Open orders at most (TOO_MANY_OPEN_ORDERS beyond). */
  maxOpenOrders: number;
  /** Units of one product across the customer's open orders, the new one included (PRODUCT_LIMIT_REACHED beyond). */
  maxUnitsPerProduct: number;
}

export interface OrdersDeps {
  orders: OrderRepository;
  /** The customer's cart lines (a port onto the cart). */
  cartLines(userId: string): Promise<CartLine[]>;
  /** Notes which cart lines an order takes, as it saw them, for the clean-up after confirmation. */
  noteOrdered(userId: string, orderId: string, lines: SeenLine[]): Promise<void>;
  products: ProductLookup;
  /** One of the customer's saved addresses (a port onto the accounts), or null. */
  addressOf(userId: string, addressId: string): Promise<OrderAddress | null>;
  currency: string;
  limits: OrderLimits;
  clock: Clock;
  ids: IdGenerator;
  event: EventFactory;
  /** The saga's stock decision for an order (a port onto the stock), or null while none is recorded. */
  stockDecision(orderId: string): Promise<'reserved' | 'rejected' | 'released' | 'settled' | null>;
}

/** Who acts on an order: a customer (their own orders only), an admin, or the saga (`system`). */
export interface Actor {
  userId: string;
  role: 'customer' | 'admin';
}

export const SYSTEM = 'system';

/** The moves an admin may make; the saga alone confirms, and cancels for want of stock. */
const adminMoves: Partial<Record<OrderStatus, OrderStatus[]>> = {
  pending: ['cancelled'],
  confirmed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
};

const cancellable: OrderStatus[] = ['pending', 'confirmed'];
const cancelledWithout = (): never => {
  throw new Error('An order is never cancelled without a reason');
};

export type PublicOrder = Omit<Order, 'createdAt' | 'updatedAt' | 'history'> & {
  createdAt: string;
  updatedAt: string;
  history: { status: OrderStatus; at: string; by: string; reason?: string }[];
};

export const publicOrder = (order: Order): PublicOrder => ({
  ...order,
  history: order.history.map((h) => ({ ...h, at: h.at.toISOString() })),
  createdAt: order.createdAt.toISOString(),
  updatedAt: order.updatedAt.toISOString(),
});

const invalidTransition = (from: OrderStatus, to: OrderStatus) =>
  new DomainError('INVALID_TRANSITION', `An order that is ${from} cannot become ${to}`);

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

// Orders the sweep settles in one run: a backlog is worked off over the next runs.
const SWEEP_BATCH = 100;
const SWEEP_RUN_MAX = 1000;

/** Placing orders from the cart, following them, and moving them along their statuses. */
export function createOrders({ orders, cartLines, noteOrdered, products, addressOf, currency, limits, clock, ids, event, stockDecision }: OrdersDeps) {
  const items = (order: Order) => order.items.map(({ productId, quantity }) => ({ productId, quantity }));

  /** The store calls it with what the customer holds open, while no other order of theirs can be made. */
  const admit = (order: Order) => (held: OpenHoldings) => {
    if (held.orders >= limits.maxOpenOrders) {
      throw new DomainError(
        'TOO_MANY_OPEN_ORDERS',
        `You have ${held.orders} open orders, the most you may have; wait until one ships or cancel one`,
        [{ openOrders: held.orders, max: limits.maxOpenOrders }],
      );
    }
    const over = order.items.filter((i) => (held.units[i.productId] ?? 0) + i.quantity > limits.maxUnitsPerProduct);
    if (over.length) {
      throw new DomainError(
        'PRODUCT_LIMIT_REACHED',
        `Your open orders may hold at most ${limits.maxUnitsPerProduct} of one product`,
        over.map((i) => ({ productId: i.productId, name: i.name, held: held.units[i.productId] ?? 0, quantity: i.quantity, max: limits.maxUnitsPerProduct })),
      );
    }
  };

  async function visible(actor: Actor, id: string) {
    const order = await orders.findById(id);
    // Someone else's order does not exist, as far as a customer can tell.
    if (!order || (actor.role !== 'admin' && order.userId !== actor.userId)) throw notFound('Order');
    return order;
  }

  /**
   * Moves an order from its current status to `to`, as one conditional write; when another move
   * got there first, it looks again and decides on the new status. `allowed` says which moves
   * this caller may make; null answers mean the move was not made (the saga asks that way).
   */
  async function move(
    id: string,
    to: OrderStatus,
    by: string,
    allowed: (from: OrderStatus) => boolean,
    { reason, ...meta }: CallMeta & { reason?: CancelReason } = {},
  ): Promise<Order | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const order = await orders.findById(id);
      if (!order || !allowed(order.status)) return null;
      const now = clock.now();
      const from = order.status;
      const base = { orderId: id, userId: order.userId, items: items(order) };
      const events: DomainEvent[] = [event('order.status_changed', { ...base, from, to, by, ...(reason ? { reason } : {}) }, meta)];
      if (to === 'confirmed') events.push(event('order.confirmed', base, meta));
      if (to === 'cancelled') events.push(event('order.cancelled', { ...base, reason: reason ?? cancelledWithout() }, meta));
      const moved = await orders.transition(
        id,
        from,
        { status: to, entry: { status: to, at: now, by, ...(reason ? { reason } : {}) }, cancelReason: reason, updatedAt: now },
        events,
      );
      if (moved) return moved;
    }
    throw new DomainError('CONFLICT', 'The order is changing right now; try again');
  }

  /** The order, and the cart lines it takes as it saw them. */
  const confirm = (id: string, meta: CallMeta = {}) => move(id, 'confirmed', SYSTEM, (from) => from === 'pending', meta);
  const reject = (id: string, reason: CancelReason, meta: CallMeta = {}) =>
    move(id, 'cancelled', SYSTEM, (from) => from === 'pending', { ...meta, reason });

  async function build(userId: string, input: PlaceOrder, id: string): Promise<{ order: Order; seen: SeenLine[] }> {
    const lines = await cartLines(userId);
    const found = new Map((await products(lines.map((l) => l.productId))).map((p) => [p.id, p]));
    const taken = lines.filter((l) => found.get(l.productId)?.orderable);
    // Prices as they are now: the order keeps this snapshot whatever happens to the catalog.
    const orderItems = taken.map(({ productId, quantity }) => {
      const p = found.get(productId)!;
      return { productId, name: p.name, unitPriceCents: p.priceCents, quantity, lineTotalCents: p.priceCents * quantity };
    });
    if (!orderItems.length) throw new DomainError('CART_EMPTY', 'The cart holds nothing that can be ordered');
    const address = input.address ?? (await addressOf(userId, input.addressId!));
    if (!address) throw new DomainError('UNKNOWN_ADDRESS', 'That is not one of your addresses', [{ path: 'body.addressId' }]);
    const now = clock.now();
    const order: Order = {
      id,
      userId,
      status: 'pending',
      items: orderItems,
      totalCents: orderItems.reduce((sum, i) => sum + i.lineTotalCents, 0),
      currency,
      address,
      ...(input.note ? { note: input.note } : {}),
      history: [{ status: 'pending', at: now, by: userId }],
      createdAt: now,
      updatedAt: now,
    };
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
        return publicOrder(earlier.order);
      }
      const { order, seen } = await build(userId, input, ids());
      // The cart keeps what this order saw, by order id, so the clean-up after confirmation
      // leaves whatever the customer adds or changes meanwhile. Noted before the order exists:
      // a note for an order never stored only waits to expire. (The order's own storage and
      // events keep the items as they were: order.confirmed is built from the stored order.)
      await noteOrdered(userId, order.id, seen);
      const placed = event(
        'order.placed',
        { orderId: order.id, userId, items: items(order), totalCents: order.totalCents, currency: order.currency },
        meta,
      );
      const stored = await orders.create(order, { key, requestHash }, [placed], admit(order));
      if (!stored.created && stored.requestHash !== requestHash) throw reused();
      return publicOrder(stored.order);
    },

    get: async (actor: Actor, id: string) => publicOrder(await visible(actor, id)),

    /** A customer's own orders, newest first. */
    async list(userId: string, { page, limit, status }: { page: number; limit: number; status?: OrderStatus }) {
      return pageOf(await orders.list({ userId, status }, (page - 1) * limit, limit), page, limit);
    },

    /** Every order, for admins: by status, customer and date range. */
    async listAll({ page, limit, ...filter }: AllOrdersQuery) {
      return pageOf(await orders.list(filter, (page - 1) * limit, limit), page, limit);
    },

    /** A customer cancels their own order (an admin any order) while pending or confirmed. */
    async cancel(actor: Actor, id: string, meta: CallMeta = {}) {
      const order = await visible(actor, id);
      const reason = actor.role === 'admin' && order.userId !== actor.userId ? 'cancelled_by_admin' : 'cancelled_by_customer';
      const moved = await move(id, 'cancelled', actor.userId, (from) => cancellable.includes(from), { ...meta, reason });
      if (!moved) throw invalidTransition((await visible(actor, id)).status, 'cancelled');
      return publicOrder(moved);
    },

    /** Admins: confirmed → shipped → delivered, or a cancellation; anything else is INVALID_TRANSITION. */
    async setStatus(actor: Actor, id: string, to: OrderStatus, meta: CallMeta = {}) {
      await visible(actor, id);
      const reason = to === 'cancelled' ? 'cancelled_by_admin' : undefined;
      const moved = await move(id, to, actor.userId, (from) => adminMoves[from]?.includes(to) ?? false, { ...meta, reason });
      if (!moved) throw invalidTransition((await visible(actor, id)).status, to);
      return publicOrder(moved);
    },

    /** confirm-order (stock.reserved): pending → confirmed; an order cancelled meanwhile stays so. */
    confirm,

    /**
     * forget-user (user.deleted): every order of the customer that has not shipped is cancelled
     * (reason account_deleted, so release-stock gives its stock back), then the orders kept for
     * the accounts lose their personal data. Safe to run again.
     */
    async forgetCustomer(userId: string, meta: CallMeta = {}) {
      for (;;) {
        const { items: open } = await orders.list({ userId, statuses: openStatuses }, 0, 100);
        for (const order of open) {
          await move(order.id, 'cancelled', SYSTEM, (from) => openStatuses.includes(from), { ...meta, reason: 'account_deleted' });
        }
        if (open.length < 100) break;
      }
      await orders.redact(userId, clock.now());
    },

    /** reject-order (stock.rejected): pending → cancelled, with the reason. */
    reject,

    /**
     * expire-pending-orders (scheduled): an order still pending after `timeoutMs` lost a step of
     * its saga (a dead-lettered event, a bug, a long outage). Each is settled by the saga's own
     * rules: confirmed when its stock was reserved, cancelled for want of stock when that was
     * decided, otherwise cancelled as `expired` (order.cancelled: release-stock gives back
     * whatever it holds, and a reservation still on its way finds the order released). Safe to
     * run twice at once: every move is conditional.
     */
    async expirePending(timeoutMs: number, meta: CallMeta = {}) {
      const cutoff = new Date(clock.now().getTime() - timeoutMs);
      const settled = { confirmed: 0, cancelled: 0 };
      const seen = new Set<string>();
      while (seen.size < SWEEP_RUN_MAX) {
        const { items } = await orders.list({ status: 'pending', to: cutoff }, 0, SWEEP_BATCH);
        const fresh = items.filter((order) => !seen.has(order.id));
        if (!fresh.length) break;
        for (const { id } of fresh) {
          seen.add(id);
          const decision = await stockDecision(id);
          const keeps = decision === 'reserved' || decision === 'settled';
          const moved = keeps ? await confirm(id, meta) : await reject(id, decision === 'rejected' ? 'out_of_stock' : 'expired', meta);
          if (moved) settled[keeps ? 'confirmed' : 'cancelled'] += 1;
        }
      }
      return settled;
    },
  };
}

function pageOf({ items, total }: Page<Order>, page: number, limit: number) {
  return { items: items.map(publicOrder), page, limit, total };
}

export type Orders = ReturnType<typeof createOrders>;
