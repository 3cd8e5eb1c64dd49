import type { PaymentMethod } from '../payments/provider.js';

/**
 * Delivery zones: where the shop delivers, at what fee and minimum, and in which slots. A zone
 * covers postcodes, each an exact code (`12345`) or a prefix (`123*`); a postcode falls in at
 * most one zone.
 */

/** One weekly slot: ISO weekday (1 = Monday … 7 = Sunday), wall-clock times in SHOP_TIMEZONE. */
export interface TimetableSlot {
  weekday: number;
  /** `HH:mm`, 24-hour. */
  start: string;
  end: string;
  /** Orders the slot takes. */
  capacity: number;
}

/** One day's capacity, for every slot of that day or (with `start`) for one of them. */
export interface CapacityOverride {
  /** `YYYY-MM-DD` in SHOP_TIMEZONE. */
  date: string;
  start?: string;
  capacity: number;
}

export interface DeliveryZone {
  id: string;
  name: string;
  /** Normalised (upper case, no spaces); a trailing `*` makes a prefix. */
  postcodes: string[];
  feeCents: number;
  minimumOrderCents: number;
  /** Delivery is free from this subtotal on. */
  freeOverCents?: number;
  /** The payment methods orders to the zone may use; absent: every method the shop offers. */
  paymentMethods?: PaymentMethod[];
  /** Empty: the zone delivers "in the next days", without slots. */
  timetable: TimetableSlot[];
  /** `YYYY-MM-DD` days without deliveries (holidays). */
  closedDays: string[];
  capacityOverrides: CapacityOverride[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Storage of zones. Writes that change postcodes run one at a time across the whole store (a
 * lock, or a guard document on MongoDB), and `admit` sees every other zone inside that turn and
 * throws to refuse the write: two concurrent writes cannot both claim one postcode.
 */
export interface ZoneRepository {
  create(zone: DeliveryZone, admit: (others: DeliveryZone[]) => void): Promise<DeliveryZone>;
  /** Applies `change` to the zone as stored, inside the same turn; null when there is no such zone. */
  update(id: string, change: (current: DeliveryZone, others: DeliveryZone[]) => DeliveryZone): Promise<DeliveryZone | null>;
  delete(id: string): Promise<boolean>;
  findById(id: string): Promise<DeliveryZone | null>;
  /** Every zone, by name. */
  list(): Promise<DeliveryZone[]>;
}

/**
 * Places taken in delivery slots, one record per slot (made at its first hold): a hold is one
 * conditional write that counts the order in while fewer than `capacity` hold a place and notes
 * it, so an order never takes two places and gives its place back once.
 */
export interface SlotRepository {
  /** True when the order holds a place now (taken now or before); false when the slot is full. */
  hold(slotId: string, zoneId: string, orderId: string, capacity: number): Promise<boolean>;
  /** Gives the order's place back; false when it held none. */
  release(slotId: string, orderId: string): Promise<boolean>;
  /** Places taken, per slot id (missing: none taken). */
  taken(slotIds: string[]): Promise<Record<string, number>>;
}

/** `sw1a 1aa` → `SW1A1AA`: the form postcodes are stored and matched in. */
export const normalisePostcode = (code: string) => code.replace(/[\s-]+/g, '').toUpperCase();

const isPrefix = (code: string) => code.endsWith('*');
const stem = (code: string) => (isPrefix(code) ? code.slice(0, -1) : code);

/** Whether one postcode could fall under both entries. */
export function entriesOverlap(a: string, b: string): boolean {
  if (!isPrefix(a) && !isPrefix(b)) return a === b;
  if (isPrefix(a) && isPrefix(b)) return stem(a).startsWith(stem(b)) || stem(b).startsWith(stem(a));
  const [prefix, exact] = isPrefix(a) ? [stem(a), b] : [stem(b), a];
  return exact.startsWith(prefix);
}

/** The entries of `zone` that clash with another zone's: [mine, theirs, their zone]. */
export function overlaps(postcodes: string[], others: DeliveryZone[]) {
  const found: { postcode: string; zone: { id: string; name: string }; theirs: string }[] = [];
  for (const other of others) {
    for (const theirs of other.postcodes) {
      for (const postcode of postcodes) if (entriesOverlap(postcode, theirs)) found.push({ postcode, theirs, zone: { id: other.id, name: other.name } });
    }
  }
  return found;
}

/** The zone a postcode falls in, or null. */
export function zoneOf(zones: DeliveryZone[], postalCode: string): DeliveryZone | null {
  const code = normalisePostcode(postalCode);
  if (!code) return null;
  return zones.find((z) => z.postcodes.some((entry) => (isPrefix(entry) ? code.startsWith(stem(entry)) : code === entry))) ?? null;
}

/** The fee for this subtotal, and what is missing to the zone's minimum. */
export function priceDelivery(zone: DeliveryZone | null, subtotalCents: number) {
  if (!zone) return { feeCents: 0, minimumOrderCents: 0, missingCents: 0 };
  const free = zone.freeOverCents !== undefined && subtotalCents >= zone.freeOverCents;
  return {
    feeCents: free ? 0 : zone.feeCents,
    minimumOrderCents: zone.minimumOrderCents,
    missingCents: Math.max(0, zone.minimumOrderCents - subtotalCents),
  };
}
