import { DomainError, notFound } from '../errors.js';
import { nextPayment } from '../payments/payment.js';
import type { CallMeta } from '../ports.js';
import type { Page } from '../users/user.js';
import type { AllOrdersQuery } from './inputs.js';
import { createMoves, type MoveOptions } from './moves.js';
import { openStatuses, type CancelReason, type Order, type OrderStatus } from './order.js';
import { createPaying, type PayingDeps } from './paying.js';
import { createPlacing, orderLines, type PlacingDeps } from './placing.js';
import { publicOrder } from './public-order.js';
import { createPacking, type PackInput } from './packing.js';

export type { OrderLimits } from './placing.js';
export { publicOrder, type PublicOrder } from './public-order.js';
export { amountToAuthorize } from './packing.js';

export interface OrdersDeps extends PlacingDeps, PayingDeps {
  /** The saga's stock decision for an order (a port onto the stock), or null while none is recorded. */
  stockDecision(orderId: string): Promise<'reserved' | 'rejected' | 'released' | 'settled' | null>;
  /** Why the stock step rejected the order, when it did. */
  stockRejection(orderId: string): Promise<'out_of_stock' | 'slot_full' | null>;
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
  awaiting_payment: ['cancelled'],
  confirmed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
};

const cancellable: OrderStatus[] = ['pending', 'awaiting_payment', 'confirmed'];

const invalidTransition = (from: OrderStatus, to: OrderStatus) =>
  new DomainError('INVALID_TRANSITION', `An order that is ${from} cannot become ${to}`);

// Orders the sweep settles in one run: a backlog is worked off over the next runs.
const SWEEP_BATCH = 100;
const SWEEP_RUN_MAX = 1000;

/** Placing orders from the cart, following them, and moving them along their statuses. */
export function createOrders(deps: OrdersDeps) {
  const { orders, clock, stockDecision, stockRejection, event } = deps;
  const { place } = createPlacing(deps);
  const { pack } = createPacking(deps);
  const { move } = createMoves(deps);
  const paying = createPaying(deps, move);

  async function visible(actor: Actor, id: string) {
    const order = await orders.findById(id);
    // Someone else's order does not exist, as far as a customer can tell.
    if (!order || (actor.role !== 'admin' && order.userId !== actor.userId)) throw notFound('Order');
    return order;
  }

  /** The order, and the cart lines it takes as it saw them. */
  const confirm = (id: string, meta: CallMeta = {}) => move(id, 'confirmed', SYSTEM, (from) => from === 'pending', meta);
  /** stock.reserved: a cash order is confirmed; a card order waits for its payment (paying.ts). */
  async function reserved(id: string, meta: CallMeta = {}) {
    const order = await orders.findById(id);
    if (order?.status !== 'pending') return null;
    return order.payment?.method === 'card' ? paying.awaitPayment(order, meta) : confirm(id, meta);
  }
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

    /** The client secret of a card payment goes to the order's owner only. */
    async get(actor: Actor, id: string) {
      const order = await visible(actor, id);
      return publicOrder(order, { owner: order.userId === actor.userId });
    },

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
      return publicOrder(moved, { owner: moved.userId === actor.userId });
    },

    /**
     * Admins: confirmed → shipped → delivered, or a cancellation; anything else is
     * INVALID_TRANSITION. Shipping a card order captures its final total first; delivering a
     * cash order records its payment.
     */
    async setStatus(actor: Actor, id: string, to: OrderStatus, meta: CallMeta = {}) {
      const order = await visible(actor, id);
      const options: MoveOptions = { ...meta, reason: to === 'cancelled' ? 'cancelled_by_admin' : undefined };
      const taken = (amountCents: number) => {
        options.payment = (o) => nextPayment(o.payment!, { status: 'captured', capturedCents: amountCents });
        options.also = (o) => [event('payment.captured', { orderId: o.id, userId: o.userId, method: o.payment!.method, amountCents }, meta)];
      };
      const allowed = (from: OrderStatus) => adminMoves[from]?.includes(to) ?? false;
      if (to === 'shipped' && allowed(order.status)) {
        const captured = await paying.capture(order);
        if (captured !== undefined) taken(captured);
      }
      if (to === 'delivered' && order.payment?.method === 'cash_on_delivery' && order.payment.status === 'pending') taken(order.totalCents);
      const moved = await move(id, to, actor.userId, allowed, options);
      if (!moved) throw invalidTransition((await visible(actor, id)).status, to);
      return publicOrder(moved);
    },

    /** confirm-order (stock.reserved): pending → confirmed, or awaiting_payment (card); an order cancelled meanwhile stays so. */
    confirm: reserved,

    /** stripe-webhook: a verified notification of the provider (paying.ts). */
    providerEvent: paying.providerEvent,
    /** void-payment (order.cancelled): nothing is taken for a cancelled order. */
    voidPayment: paying.voidPayment,

    /** refund-order: an admin gives back part of what was captured. */
    async refund(actor: Actor, id: string, input: { amountCents: number; reason: string }, meta: CallMeta = {}) {
      await visible(actor, id);
      return publicOrder(await paying.refund(actor.userId, id, input, meta));
    },

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
          const card = keeps && (await orders.findById(id))?.payment?.method === 'card';
          // A card order that never got its intent (Stripe down all along) is not confirmed unpaid.
          const moved = card
            ? await reject(id, 'payment_expired', meta)
            : keeps
              ? await confirm(id, meta)
              : await reject(id, decision === 'rejected' ? ((await stockRejection(id)) ?? 'out_of_stock') : 'expired', meta);
          if (moved) settled[keeps && !card ? 'confirmed' : 'cancelled'] += 1;
        }
      }
      return settled;
    },

    /**
     * expire-pending-orders too: a card order awaiting its payment longer than `timeoutMs` is
     * cancelled (payment_expired); void-payment cancels its intent, release-stock gives back its
     * stock and slot. Conditional like every move: a payment arriving meanwhile wins or loses whole.
     */
    async expireUnpaid(timeoutMs: number, meta: CallMeta = {}) {
      const cutoff = new Date(clock.now().getTime() - timeoutMs);
      const waitingSince = (o: Order) => o.history.findLast((h) => h.status === 'awaiting_payment')?.at ?? o.createdAt;
      let cancelled = 0;
      const seen = new Set<string>();
      while (seen.size < SWEEP_RUN_MAX) {
        const { items } = await orders.list({ status: 'awaiting_payment', to: cutoff }, 0, SWEEP_BATCH);
        const fresh = items.filter((order) => !seen.has(order.id));
        if (!fresh.length) break;
        for (const order of fresh) {
          seen.add(order.id);
          const late = (from: OrderStatus, o: Order) => from === 'awaiting_payment' && waitingSince(o) < cutoff;
          if (await move(order.id, 'cancelled', SYSTEM, late, { ...meta, reason: 'payment_expired' })) cancelled += 1;
        }
      }
      return cancelled;
    },
  };
}

function pageOf({ items, total }: Page<Order>, page: number, limit: number) {
  return { items: items.map((order) => publicOrder(order)), page, limit, total };
}

export type Orders = ReturnType<typeof createOrders>;
