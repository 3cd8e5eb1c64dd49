import type { ProductLookup } from '../cart/cart.js';
import { lineCents } from '../catalog/weight.js';
import { DomainError, notFound } from '../errors.js';
import type { EventFactory } from '../events.js';
import type { CallMeta, Clock } from '../ports.js';
import { finalLineCents, type PackPlan, type Order, type OrderItem, type OrderRepository, type PackedLine } from './order.js';
import { publicOrder } from './public-order.js';

/** What a packer records for one line: what went, and of which product when it is a substitute. */
export interface PackInput {
  /** By weight: the grams weighed (0: none went). */
  packedGrams?: number;
  /** By the piece: the units that went, at most those ordered (0: none). */
  packedQuantity?: number;
  /** Another product in the line's place; only when the customer asked for a substitute. */
  substituteId?: string;
}

export interface PackingDeps {
  orders: OrderRepository;
  products: ProductLookup;
  clock: Clock;
  event: EventFactory;
  /** Told which products' stock moved (the catalog drops their cached pages). */
  stockMoved(productIds: string[]): Promise<void>;
}

/**
 * The amount a card payment authorises for an order (the payment area calls it at placement):
 * the estimated total plus the tolerance on its weight lines, each priced at the most that may be
 * packed (maxGrams). A substitute is charged at the lower price and within the same grams, a short
 * line charges less: the final total (totalCents after packing) never exceeds this.
 */
export function amountToAuthorize(order: Pick<Order, 'items' | 'deliveryFeeCents'>): number {
  const lines = order.items.reduce((sum, i) => sum + (i.by === 'weight' && i.maxGrams !== undefined ? lineCents('weight', i.unitPriceCents, i.maxGrams) : i.lineTotalCents), 0);
  return lines + order.deliveryFeeCents;
}

/** What the line holds of each product for the order: its product's, or its substitute's, amount. */
const heldBy = (item: OrderItem): [string, number] =>
  item.packed ? [item.packed.substitute?.productId ?? item.productId, item.packed.quantity] : [item.productId, item.quantity];

/** Per product: how much the holds move from one state of a line to the next. */
function holdDeltas(before: OrderItem, after: OrderItem) {
  const deltas = new Map<string, number>();
  const [was, wasHeld] = heldBy(before);
  const [now, nowHeld] = heldBy(after);
  deltas.set(was, -wasHeld);
  deltas.set(now, (deltas.get(now) ?? 0) + nowHeld);
  return [...deltas].filter(([, delta]) => delta !== 0).map(([productId, delta]) => ({ productId, delta }));
}

/**
 * Packing a confirmed order: each line as it went out, weighed (by weight, up to maxGrams),
 * short (fewer units, fewer grams, or none) or substituted (another product sold the same way, at
 * the lower of the two prices, only when the customer asked for one). The order's total follows,
 * and the stock its products hold, in one write (OrderRepository.pack). A line may be packed
 * again while the order is confirmed: the last packing counts.
 */
export function createPacking({ orders, products, clock, event, stockMoved }: PackingDeps) {
  /** The packed line for this input, or the refusal; the substitute's price is read now. */
  async function packedLine(item: OrderItem, { packedGrams, packedQuantity, substituteId }: PackInput): Promise<PackedLine> {
    let amount: number;
    if (item.by === 'weight') {
      if (packedGrams === undefined) throw new DomainError('SOLD_BY_WEIGHT', 'This line is sold by weight: send packedGrams', [{ path: 'body.packedQuantity' }]);
      if (packedGrams > (item.maxGrams ?? item.quantity)) {
        throw new DomainError('WEIGHT_BEYOND_TOLERANCE', `At most ${item.maxGrams ?? item.quantity} g may be packed for ${item.quantity} g ordered`, [
          { path: 'body.packedGrams', grams: item.quantity, maxGrams: item.maxGrams ?? item.quantity },
        ]);
      }
      amount = packedGrams;
    } else {
      if (packedQuantity === undefined) throw new DomainError('SOLD_BY_PIECE', 'This line is sold by the piece: send packedQuantity', [{ path: 'body.packedGrams' }]);
      if (packedQuantity > item.quantity) {
        throw new DomainError('PACKED_ABOVE_ORDERED', `${item.quantity} ordered: at most that many are packed`, [{ path: 'body.packedQuantity', quantity: item.quantity }]);
      }
      amount = packedQuantity;
    }
    if (substituteId === undefined) {
      return { quantity: amount, unitPriceCents: item.unitPriceCents, lineTotalCents: lineCents(item.by, item.unitPriceCents, amount) };
    }
    if (item.ifUnavailable !== 'substitute') {
      throw new DomainError('SUBSTITUTION_NOT_WANTED', 'The customer asked for no substitute on this line (ifUnavailable: none): pack it short instead', [{ path: 'body.substituteId' }]);
    }
    const [substitute] = await products([substituteId]);
    if (!substitute) throw new DomainError('PRODUCT_UNAVAILABLE', 'There is no such product to substitute', [{ path: 'body.substituteId' }]);
    if (!substitute.orderable) throw new DomainError('PRODUCT_UNAVAILABLE', `"${substitute.name}" is not available`, [{ path: 'body.substituteId' }]);
    if (substitute.id === item.productId || substitute.by !== item.by) {
      throw new DomainError('SUBSTITUTE_MISMATCH', 'A substitute is another product, sold the same way (by the piece or by weight) as the one it replaces', [
        { path: 'body.substituteId' },
      ]);
    }
    const unitPriceCents = Math.min(item.unitPriceCents, substitute.priceCents);
    return {
      quantity: amount,
      substitute: { productId: substitute.id, name: substitute.name },
      unitPriceCents,
      lineTotalCents: lineCents(item.by, unitPriceCents, amount),
    };
  }

  return {
    /** PATCH /api/admin/orders/:id/lines/:productId: records what went for one line. */
    async pack(orderId: string, productId: string, input: PackInput, by: string, meta: CallMeta = {}) {
      const current = await orders.findById(orderId);
      if (!current) throw notFound('Order');
      const line = current.items.find((i) => i.productId === productId);
      if (!line) throw notFound('Order line');
      // Checked before the lock, so the substitute is read once; the lock checks the status again.
      const packed = await packedLine(line, input);
      let moved: string[] = [];
      const plan = (order: Order): PackPlan | null => {
        if (order.status !== 'confirmed') throw new DomainError('NOT_PACKABLE', `The order is ${order.status}: only a confirmed order is packed`);
        const before = order.items.find((i) => i.productId === productId)!;
        // The same packing again (a retry, a double click): nothing to change, no event.
        if (JSON.stringify(before.packed) === JSON.stringify(packed)) return null;
        const after: OrderItem = { ...before, packed };
        const items = order.items.map((i) => (i === before ? after : i));
        const subtotalCents = items.reduce((sum, i) => sum + finalLineCents(i), 0);
        const totalCents = subtotalCents + order.deliveryFeeCents;
        const holds = holdDeltas(before, after);
        moved = holds.map((h) => h.productId);
        const data = {
          orderId,
          userId: order.userId,
          productId,
          packed: { quantity: packed.quantity, ...(packed.substitute ? { substituteId: packed.substitute.productId } : {}), lineTotalCents: packed.lineTotalCents },
          by,
          subtotalCents,
          totalCents,
          currency: order.currency,
        };
        return { items, subtotalCents, totalCents, updatedAt: clock.now(), holds, events: [event('order.packed', data, meta)] };
      };
      const order = await orders.pack(orderId, plan);
      if (!order) throw notFound('Order');
      if (moved.length) await stockMoved(moved);
      return publicOrder(order);
    },
  };
}

export type Packing = ReturnType<typeof createPacking>;
