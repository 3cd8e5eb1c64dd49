import { DomainError } from '../errors.js';
import type { EventFactory } from '../events.js';
import type { OrderPayment } from '../payments/payment.js';
import type { CallMeta, Clock, DomainEvent } from '../ports.js';
import type { CancelReason, Order, OrderRepository, OrderStatus } from './order.js';
import { orderLines, slotOf } from './placing.js';

export interface MoveOptions extends CallMeta {
  reason?: CancelReason;
  /** The payment as it becomes with the move, from the order as read; undefined leaves it as it is. */
  payment?: (order: Order) => OrderPayment | undefined;
  /** Events stored with the move, beside the order's own. */
  also?: (order: Order) => DomainEvent[];
}

const cancelledWithout = (): never => {
  throw new Error('An order is never cancelled without a reason');
};

/** Moving an order along its statuses, one conditional write each: shared by orders.ts and paying.ts. */
export function createMoves({ orders, clock, event }: { orders: OrderRepository; clock: Clock; event: EventFactory }) {
  /**
   * Moves an order from its current status to `to`, as one conditional write; when another move
   * got there first, it looks again and decides on the new status. `allowed` says which moves
   * this caller may make; null answers mean the move was not made (the saga asks that way).
   */
  async function move(
    id: string,
    to: OrderStatus,
    by: string,
    allowed: (from: OrderStatus, order: Order) => boolean,
    { reason, payment, also, ...meta }: MoveOptions = {},
  ): Promise<Order | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const order = await orders.findById(id);
      if (!order || !allowed(order.status, order)) return null;
      const now = clock.now();
      const from = order.status;
      const base = { orderId: id, userId: order.userId, items: orderLines(order) };
      const events: DomainEvent[] = [event('order.status_changed', { ...base, from, to, by, ...(reason ? { reason } : {}) }, meta)];
      if (to === 'confirmed') events.push(event('order.confirmed', base, meta));
      // The slot goes with the cancellation: release-stock gives back its place with the stock.
      if (to === 'cancelled') events.push(event('order.cancelled', { ...base, ...slotOf(order), reason: reason ?? cancelledWithout() }, meta));
      if (also) events.push(...also(order));
      const paid = payment?.(order);
      const moved = await orders.transition(
        id,
        from,
        { status: to, entry: { status: to, at: now, by, ...(reason ? { reason } : {}) }, cancelReason: reason, ...(paid ? { payment: paid } : {}), updatedAt: now },
        events,
      );
      if (moved) return moved;
    }
    throw new DomainError('CONFLICT', 'The order is changing right now; try again');
  }

  return { move };
}

export type Move = ReturnType<typeof createMoves>['move'];
