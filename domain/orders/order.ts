import type { OrderPayment } from '../payments/payment.js';
import type { DomainEvent } from '../ports.js';
import type { Page } from '../users/user.js';
import type { TaxClass, TaxSnapshot } from '../catalog/tax.js';
import type { IfUnavailable } from '../cart/cart.js';
import type { SoldBy } from '../catalog/weight.js';

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

/**
 * What went out for a line at packing: of the product ordered, or of a substitute. Absent while
 * the line is not packed yet (it goes as ordered).
 */
export interface PackedLine {
  /** Units, or grams when sold by weight; 0: nothing went (the line is refunded). */
  quantity: number;
  /** Another product in its place, charged at the lower of the two prices (unitPriceCents). */
  substitute?: { productId: string; name: string };
  /** The price charged per unit (per kilogram by weight): the line's, or the lower one for a substitute. */
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface OrderItem {
  productId: string;
  name: string;
  /** Orders from before weights: by the piece. */
  by: SoldBy;
  /** Per unit, or per kilogram when sold by weight. */
  unitPriceCents: number;
  /** Units, or grams when sold by weight. */
  quantity: number;
  /** As ordered: by weight, the estimate. */
  lineTotalCents: number;
  /** The product's tax class when ordered; absent on orders placed before taxes were shown. */
  taxClass?: TaxClass;
  /** By weight: the most grams that may be packed, the weight ordered plus WEIGHT_TOLERANCE_PERCENT at placement. */
  maxGrams?: number;
  /** The customer's wish if it cannot be packed. */
  ifUnavailable: IfUnavailable;
  packed?: PackedLine;
}

/** What a line charges: as packed once packed, else as ordered (by weight, the estimate). */
export const finalLineCents = (item: OrderItem) => item.packed?.lineTotalCents ?? item.lineTotalCents;

/** A line as a store keeps it: lines from before weights and wishes have neither. */
export type StoredItem = Omit<OrderItem, 'by' | 'ifUnavailable'> & Partial<Pick<OrderItem, 'by' | 'ifUnavailable'>>;

/** A stored line, field by field (stores keep keys in their own order; answers keep ours), with the defaults of old lines. */
export const storedItem = ({ productId, name, by, unitPriceCents, quantity, lineTotalCents, taxClass, maxGrams, ifUnavailable, packed }: StoredItem): OrderItem => ({
  productId,
  name,
  by: by ?? 'piece',
  unitPriceCents,
  quantity,
  lineTotalCents,
  ...(taxClass ? { taxClass } : {}),
  ...(maxGrams !== undefined && maxGrams !== null ? { maxGrams } : {}),
  ifUnavailable: ifUnavailable ?? 'none',
  ...(packed
    ? {
        packed: {
          quantity: packed.quantity,
          ...(packed.substitute ? { substitute: { productId: packed.substitute.productId, name: packed.substitute.name } } : {}),
          unitPriceCents: packed.unitPriceCents,
          lineTotalCents: packed.lineTotalCents,
        },
      }
    : {}),
});

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
  /** The lines' total: as packed where a line is packed, else as ordered (by weight, the estimate). */
  subtotalCents: number;
  /** Decided at placement; packing never changes it. */
  deliveryFeeCents: number;
  /** subtotalCents + deliveryFeeCents: what the customer pays; after packing, the final total. */
  totalCents: number;
  currency: string;
  /** The VAT rates at placement (absent on orders from before): the answer's taxes come from it. */
  tax?: TaxSnapshot;
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

/** What a customer holds in open orders: how many, and the units (grams by weight) of each product in them. */
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

/** What packing a line changes: the order's lines and totals, the stock its products hold, the events. */
export interface PackPlan {
  items: OrderItem[];
  subtotalCents: number;
  totalCents: number;
  updatedAt: Date;
  /** Per product: how much more (or, negative, less) the order holds of it; units or grams. */
  holds: { productId: string; delta: number }[];
  events: DomainEvent[];
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
   * Packing: locks the order (no other write of it runs meanwhile), lets `plan` decide on the
   * order as it is now (it throws to refuse), then writes the plan's lines and totals and moves
   * each product's hold for the order by its delta, all in one transaction: a hold that would take
   * more than the product's stock refuses the whole (INSUFFICIENT_STOCK) and nothing changes.
   * null when there is no such order. A plan of null changes nothing (the line is packed so already).
   */
  pack(id: string, plan: (order: Order) => PackPlan | null): Promise<Order | null>;
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
