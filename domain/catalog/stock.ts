import type { EventFactory } from '../events.js';
import type { CallMeta, DomainEvent } from '../ports.js';

export interface StockLine {
  productId: string;
  quantity: number;
}

export type HoldOutcome = 'held' | 'insufficient' | 'unavailable';

/**
 * Stock held for orders, on each product itself: one conditional write per product takes the
 * stock and notes the order, so the same order never takes twice and is given back once. No
 * write spans two documents, so MongoDB and PostgreSQL behave alike.
 */
export interface StockRepository {
  /** Takes `quantity` for the order unless it holds some already ('held' again); never below zero. */
  hold(productId: string, orderId: string, quantity: number): Promise<HoldOutcome>;
  /** Gives back what the order holds; false when it holds nothing (never held, or given back). */
  release(productId: string, orderId: string): Promise<boolean>;
  /** The order's units leave the shelf (it shipped): onHand goes down by them and the note goes; stock stays. */
  settle(productId: string, orderId: string): Promise<void>;
}

export type Reservation = 'reserved' | 'rejected' | 'released' | 'settled';
/** Why an order was rejected: a product short of stock, or its delivery slot full. */
export type Rejection = 'out_of_stock' | 'slot_full';

/** The saga's decision per order, written once; later steps move it on conditionally. */
export interface ReservationRepository {
  find(orderId: string): Promise<Reservation | null>;
  /** Why the order was rejected, as recorded with the decision; null for any other decision. */
  rejection(orderId: string): Promise<Rejection | null>;
  /**
   * Records the first decision for the order, with its events (and, for a rejection, why); false
   * when one was recorded first.
   */
  decide(orderId: string, decision: 'reserved' | 'rejected' | 'released', events: DomainEvent[], rejection?: Rejection): Promise<boolean>;
  /** Moves the decision from `from` to `to`; false when it was not `from`. */
  move(orderId: string, from: Reservation, to: Reservation): Promise<boolean>;
}

/** Places in delivery slots (a port onto the delivery area): taken with the stock, all or none. */
export interface SlotHolds {
  /** A place for the order, once (true again when it holds one); false when the slot is full. */
  holdSlot(slotId: string, orderId: string): Promise<boolean>;
  /** Gives the order's place back; false when it held none. */
  releaseSlot(slotId: string, orderId: string): Promise<boolean>;
}

export interface StockDeps {
  stock: StockRepository;
  slots: SlotHolds;
  reservations: ReservationRepository;
  event: EventFactory;
  /** Told which products' stock moved (the catalog drops their cached pages). */
  moved(productIds: string[]): Promise<void>;
}

// The same order of products for every order: two reservations never wait on each other.
const sorted = (lines: StockLine[]) => [...lines].sort((a, b) => a.productId.localeCompare(b.productId));

/**
 * The stock steps of the order saga. Each is safe to run again (redelivery) or at the same time
 * as another step for the same order: the holds on the products and the recorded decision make
 * every unit taken once and given back at most once.
 */
export function createStock({ stock, slots, reservations, event, moved }: StockDeps) {
  const releaseAll = async (orderId: string, lines: StockLine[], slotId: string | undefined) => {
    let returned = false;
    if (slotId) returned = await slots.releaseSlot(slotId, orderId);
    let stockReturned = false;
    for (const { productId } of sorted(lines)) stockReturned = (await stock.release(productId, orderId)) || stockReturned;
    if (stockReturned) await moved(lines.map((l) => l.productId));
    return returned || stockReturned;
  };

  // A decision that keeps the stock taken: the holds stay, whoever took them.
  const keeps = (decision: Reservation | null) => decision === 'reserved' || decision === 'settled';

  return {
    /**
     * reserve-stock (order.placed): the delivery slot's place (when the order has a slot) and
     * every line's stock, or none of them, then stock.reserved or stock.rejected (reason
     * slot_full or out_of_stock). Two runs for one order may overlap (a redelivery while the first still
     * runs) and a cancellation may decide first: the recorded decision, whoever recorded it,
     * says whether the holds stay, so a run never gives back what a `reserved` order holds, and
     * an order that ends `released` or `rejected` holds nothing once any run has finished.
     */
    async reserve(orderId: string, lines: StockLine[], slotId?: string, meta: CallMeta = {}): Promise<Reservation> {
      const before = await reservations.find(orderId);
      if (before) {
        // A run that died between a hold and the decision left its holds behind: give them back.
        if (!keeps(before)) await releaseAll(orderId, lines, slotId);
        return before;
      }
      // The slot first: when it is full, no product's stock is touched at all.
      const slotFull = slotId !== undefined && !(await slots.holdSlot(slotId, orderId));
      let missing: { productId: string; outcome: HoldOutcome } | undefined;
      for (const { productId, quantity } of slotFull ? [] : sorted(lines)) {
        const outcome = await stock.hold(productId, orderId, quantity);
        if (outcome !== 'held') {
          missing = { productId, outcome };
          break;
        }
      }
      const wanted = missing || slotFull ? 'rejected' : 'reserved';
      const events = slotFull
        ? [event('stock.rejected', { orderId, slotId, reason: 'slot_full' }, meta)]
        : missing
          ? [event('stock.rejected', { orderId, productId: missing.productId, reason: 'out_of_stock' }, meta)]
          : [event('stock.reserved', { orderId }, meta)];
      const why = slotFull ? 'slot_full' : missing ? 'out_of_stock' : undefined;
      const decision = (await reservations.decide(orderId, wanted, events, why)) ? wanted : await reservations.find(orderId);
      if (keeps(decision)) {
        await moved(lines.map((l) => l.productId));
        return decision;
      }
      // Rejected (by this run or another), or cancelled meanwhile (release-stock decided first).
      await releaseAll(orderId, lines, slotId);
      return decision ?? wanted;
    },

    /**
     * release-stock (order.cancelled): gives back what the order held, stock and slot, exactly
     * once. Decided before any reservation, it also keeps a late reserve-stock from taking anything.
     */
    async release(orderId: string, lines: StockLine[], slotId?: string) {
      if (!(await reservations.decide(orderId, 'released', []))) await reservations.move(orderId, 'reserved', 'released');
      return releaseAll(orderId, lines, slotId);
    },

    /** settle-stock (an order shipped): its units leave the shelf (onHand) and the holds' notes go. */
    async settle(orderId: string, lines: StockLine[]) {
      await reservations.move(orderId, 'reserved', 'settled');
      // Again after a crash halfway: settling a product twice changes nothing.
      if ((await reservations.find(orderId)) !== 'settled') return;
      for (const { productId } of sorted(lines)) await stock.settle(productId, orderId);
      await moved(lines.map((l) => l.productId)); // product pages show onHand
    },
  };
}

export type Stock = ReturnType<typeof createStock>;
