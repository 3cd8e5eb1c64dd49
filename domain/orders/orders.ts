import { DomainError, notFound } from '../errors.js';
import type { CallMeta, DomainEvent } from '../ports.js';
import type { Page } from '../users/user.js';
import type { AllOrdersQuery } from './inputs.js';
import { openStatuses, type CancelReason, type Order, type OrderStatus } from './order.js';
import { createPlacing, orderLines, slotOf, type PlacingDeps } from './placing.js';
import { publicOrder } from './public-order.js';
import { createPacking, type PackInput } from './packing.js';

export type { OrderLimits } from './placing.js';
export { publicOrder, type PublicOrder } from './public-order.js';
export { amountToAuthorize } from './packing.js';

export interface OrdersDeps extends PlacingDeps {
  /** The saga's stock decision for an order (a port onto the stock), or null while none is recorded. */
  stockDecision(orderId: string): Promise<'reserved' | 'rejected' | 'released' | 'settled' | null>;
  /** Told which products' stock moved at packing (the catalog drops their cached pages). */
  stockMoved(productIds: string[]): Promise<void>;
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

const invalidTransition = (from: OrderStatus, to: OrderStatus) =>
  new DomainError('INVALID_TRANSITION', `An order that is ${from} cannot become ${to}`);

// Orders the sweep settles in one run: a backlog is worked off over the next runs.
const SWEEP_BATCH = 100;
const SWEEP_RUN_MAX = 1000;

/** Placing orders from the cart, following them, and moving them along their statuses. */
export function createOrders(deps: OrdersDeps) {
  const { orders, clock, event, stockDecision } = deps;
  const { place } = createPlacing(deps);
  const { pack } = createPacking(deps);

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
      const base = { orderId: id, userId: order.userId, items: orderLines(order) };
      const events: DomainEvent[] = [event('order.status_changed', { ...base, from, to, by, ...(reason ? { reason } : {}) }, meta)];
      if (to === 'confirmed') events.push(event('order.confirmed', base, meta));
      // The slot goes with the cancellation: release-stock gives back its place with the stock.
      if (to === 'cancelled') events.push(event('order.cancelled', { ...base, ...slotOf(order), reason: reason ?? cancelledWithout() }, meta));
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

  return {
    /** A pending order from the cart (202): see placing.ts. */
    place,

    /** Admins: one line of a confirmed order as packed (weighed, short, substituted): see packing.ts. */
    pack: (actor: Actor, id: string, productId: string, input: PackInput, meta: CallMeta = {}) => pack(id, productId, input, actor.userId, meta),

    /**
     * The products an order holds stock of, as stored now (substitutes packed included), or the
     * event's lines when the order is gone: what settle-stock and release-stock act on, so a
     * packing that committed after a status change read the order still counts.
     */
    async heldLines(orderId: string, fallback: { productId: string; quantity: number }[]) {
      const order = await orders.findById(orderId);
      return order ? orderLines(order) : fallback;
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

    /** The orders of one delivery slot, for admins packing and routing it: by status, newest first. */
    async listSlot(slotId: string, { page, limit, status }: { page: number; limit: number; status?: OrderStatus }) {
      return pageOf(await orders.list({ slotId, status }, (page - 1) * limit, limit), page, limit);
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
