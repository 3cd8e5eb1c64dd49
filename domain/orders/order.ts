import type { OrderPayment } from '../payments/payment.js';
import type { DomainEvent } from '../ports.js';
import type { Page } from '../users/user.js';

/** `awaiting_payment`: a card order whose stock and slot are held, waiting for the customer to pay. */
export const orderStatuses = ['pending', 'awaiting_payment', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** Why an order was cancelled: by whom, or which saga step gave up on it. */
export const cancelReasons = [
  'cancelled_by_customer',
  'cancelled_by_admin',
  'out_of_stock',
  'slot_full',
  'expired',
  'account_deleted',
  'payment_failed',
  'payment_expired',
] as const;
export type CancelReason = (typeof cancelReasons)[number];

/**
 * Orders that still hold stock for their customer: not yet shipped, not cancelled. Confirmed
 * ones count too, since a confirmed order holds its stock until it ships; counting only pending
 * ones would let a customer hold a product's whole stock by waiting a moment between orders.
 */
export const openStatuses: readonly OrderStatus[] = ['pending', 'awaiting_payment', 'confirmed'];

export interface OrderItem {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

/** Only the country is left of the address of an order whose customer deleted their account. */
export interface OrderAddress {
  label?: string;
  street?: string;
  city?: string;
  postalCode?: string;
  country: string;
}

/** Where and when an order goes: its delivery zone, and the slot it holds a place in (zones with a timetable). */
export interface OrderDelivery {
  zone: { id: string; name: string };
  slot?: { id: string; start: Date; end: Date };
}

/** One status an order went through: when, and who moved it (a user id, or `system` for the saga). */
export interface HistoryEntry {
  status: OrderStatus;
  at: Date;
  by: string;
  reason?: string;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  /** A snapshot at placement: later price or name changes never touch it. */
  items: OrderItem[];
  /** The lines' total. */
  subtotalCents: number;
  deliveryFeeCents: number;
  /** subtotalCents + deliveryFeeCents: what the customer pays. */
  totalCents: number;
  currency: string;
  address: OrderAddress;
  /** Absent while the shop has no delivery zones (it delivers anywhere, free). */
  delivery?: OrderDelivery;
  note?: string;
  cancelReason?: string;
  /** How it is paid, and how far; absent on orders from before payments. */
  payment?: OrderPayment;
  history: HistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
}

export interface Idempotency {
  key: string;
  /** A hash of what was asked: the same key with another request is refused. */
  requestHash: string;
}

/** What a customer holds in open orders: how many, and the units of each product in them. */
export interface OpenHoldings {
  orders: number;
  units: Record<string, number>;
}

export interface OrderFilter {
  userId?: string;
  /** The orders of one delivery slot. */
  slotId?: string;
  status?: OrderStatus;
  /** Any of these statuses. */
  statuses?: readonly OrderStatus[];
  /** createdAt from (inclusive) and to (exclusive). */
  from?: Date;
  to?: Date;
}

export interface StatusChange {
  status: OrderStatus;
  entry: HistoryEntry;
  cancelReason?: string;
  /** The payment as it becomes with the move (a capture, an authorisation), when it changes. */
  payment?: OrderPayment;
  updatedAt: Date;
}

/**
 * Storage of orders. Writes store their events in the outbox in the same transaction. Unknown
 * or malformed ids find nothing; they never throw.
 */
export interface OrderRepository {
  /**
   * Stores a new order, unless its customer already has one under this idempotency key: then
   * nothing is stored and that one is answered (`created: false`), also when two requests race.
   * `admit` sees what the customer holds in open orders and throws to refuse the new one; it runs
   * while no other order of the customer can be created, so concurrent orders cannot all pass it.
   */
  create(
    order: Order,
    idempotency: Idempotency,
    events: DomainEvent[],
    admit?: (held: OpenHoldings) => void,
  ): Promise<{ order: Order; requestHash: string; created: boolean }>;
  findById(id: string): Promise<Order | null>;
  findByKey(userId: string, key: string): Promise<{ order: Order; requestHash: string } | null>;
  /** Newest first. */
  list(filter: OrderFilter, offset: number, limit: number): Promise<Page<Order>>;
  /** Applies the change only while the order's status is still `from` (a single conditional write); null otherwise. */
  transition(id: string, from: OrderStatus, change: StatusChange, events: DomainEvent[]): Promise<Order | null>;
  /**
   * Replaces the order's payment while it is still at `version` (a single conditional write):
   * null when another change got there first (or there is no such order).
   */
  updatePayment(id: string, version: number, payment: OrderPayment, updatedAt: Date, events: DomainEvent[]): Promise<Order | null>;
  /**
   * Forgets the personal data of the customer's orders that are no longer open (kept for the
   * accounts): the note, and the address but its country. How many changed; again, none.
   */
  redact(userId: string, at: Date): Promise<number>;
}
