import { openStatuses, storedItem, type OpenHoldings, type Order, type OrderRepository, type StoredItem } from '#domain/orders/order.js';
import type { TaxSnapshot } from '#domain/catalog/tax.js';
import type { OrderPayment } from '#domain/payments/payment.js';
import { pageOf } from './page.js';
import type { SqlClient, SqlDatabase } from './sql-database.js';
import { appendEvents } from './sql-outbox.js';
import { moveHold } from './sql-stock.js';
import { DomainError } from '#domain/errors.js';

interface OrderRow {
  id: string;
  user_id: string;
  status: Order['status'];
  items: StoredItem[];
  total_cents: string | number;
  subtotal_cents: string | number | null;
  delivery_fee_cents: string | number | null;
  delivery: { zone: { id: string; name: string }; slot?: { id: string; start: string; end: string } } | null;
  currency: string;
  tax: TaxSnapshot | null;
  address: Order['address'];
  note: string | null;
  cancel_reason: string | null;
  payment: (Omit<OrderPayment, 'refunds'> & { refunds: (Omit<OrderPayment['refunds'][number], 'at'> & { at: string })[] }) | null;
  history: { status: Order['status']; at: string; by: string; reason?: string }[];
  request_hash: string;
  created_at: Date;
  updated_at: Date;
  total?: number;
}

const columns =
  'id, user_id, status, items, total_cents, subtotal_cents, delivery_fee_cents, delivery, currency, tax, address, note, cancel_reason, payment, history, request_hash, created_at, updated_at';

/** Field by field, as jsonb gives them back in its own key order. */
const toPayment = (p: NonNullable<OrderRow['payment']>): OrderPayment => ({
  method: p.method,
  status: p.status,
  amountCents: Number(p.amountCents),
  capturedCents: Number(p.capturedCents ?? 0),
  refundedCents: Number(p.refundedCents ?? 0),
  refunds: (p.refunds ?? []).map(({ id, amountCents, reason, at, by }) => ({ id, amountCents: Number(amountCents), reason, at: new Date(at), by })),
  ...(p.intentId ? { intentId: p.intentId } : {}),
  ...(p.clientSecret ? { clientSecret: p.clientSecret } : {}),
  handledEvents: [...(p.handledEvents ?? [])],
  version: Number(p.version ?? 0),
});

const toOrder = (r: OrderRow): Order => ({
  id: r.id,
  userId: r.user_id,
  status: r.status,
  // Field by field: jsonb keeps keys in its own order, answers keep ours.
  items: r.items.map(storedItem),
  // Orders from before delivery fees: the lines were the whole total.
  subtotalCents: Number(r.subtotal_cents ?? r.total_cents),
  deliveryFeeCents: Number(r.delivery_fee_cents ?? 0),
  totalCents: Number(r.total_cents),
  currency: r.currency,
  ...(r.tax ? { tax: { rates: { standard: r.tax.rates.standard, reduced: r.tax.rates.reduced, zero: r.tax.rates.zero }, deliveryClass: r.tax.deliveryClass } } : {}),
  address: {
    ...(r.address.label ? { label: r.address.label } : {}),
    ...(r.address.street ? { street: r.address.street } : {}),
    ...(r.address.city ? { city: r.address.city } : {}),
    ...(r.address.postalCode ? { postalCode: r.address.postalCode } : {}),
    country: r.address.country,
  },
  ...(r.delivery
    ? {
        delivery: {
          zone: { id: r.delivery.zone.id, name: r.delivery.zone.name },
          ...(r.delivery.slot ? { slot: { id: r.delivery.slot.id, start: new Date(r.delivery.slot.start), end: new Date(r.delivery.slot.end) } } : {}),
        },
      }
    : {}),
  ...(r.note ? { note: r.note } : {}),
  ...(r.cancel_reason ? { cancelReason: r.cancel_reason } : {}),
  ...(r.payment ? { payment: toPayment(r.payment) } : {}),
  history: r.history.map(({ status, at, by, reason }) => ({ status, at: new Date(at), by, ...(reason ? { reason } : {}) })),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export function sqlOrders(db: SqlDatabase): OrderRepository {
  return {
    create(order, { key, requestHash }, events, admit) {
      return db.transaction(async (tx) => {
        const earlierOne = async () => {
          const [earlier] = await tx.query<OrderRow>(`SELECT ${columns} FROM orders WHERE user_id = $1 AND idempotency_key = $2`, [order.userId, key]);
          return earlier && { order: toOrder(earlier), requestHash: earlier.request_hash, created: false };
        };
        if (admit) {
          // One order of a customer at a time, until this transaction ends: the next one counts
          // after this one committed (read committed reads each statement afresh), so concurrent
          // orders cannot all pass the bounds. Other customers' orders never wait on it.
          await tx.query(`SELECT pg_advisory_xact_lock(hashtext('open-orders'), hashtext($1))`, [order.userId]);
          const earlier = await earlierOne();
          if (earlier) return earlier;
          admit(await holdings(tx, order.userId));
        }
        // Concurrent requests with one key: the second waits on the unique index, then inserts nothing.
        const [row] = await tx.query<OrderRow>(
          `INSERT INTO orders (id, user_id, status, items, total_cents, currency, address, note, cancel_reason, history,
                               idempotency_key, request_hash, created_at, updated_at, subtotal_cents, delivery_fee_cents, delivery, slot_id, tax, payment)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
           ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING ${columns}`,
          [
            order.id, order.userId, order.status, JSON.stringify(order.items), order.totalCents, order.currency,
            JSON.stringify(order.address), order.note ?? null, order.cancelReason ?? null, JSON.stringify(order.history),
            key, requestHash, order.createdAt, order.updatedAt, order.subtotalCents, order.deliveryFeeCents,
            order.delivery ? JSON.stringify(order.delivery) : null, order.delivery?.slot?.id ?? null,
            order.tax ? JSON.stringify(order.tax) : null,
            order.payment ? JSON.stringify(order.payment) : null,
          ],
        );
        if (row) {
          await appendEvents(tx, events);
          return { order: toOrder(row), requestHash, created: true };
        }
        return await earlierOne();
      });
    },

    async findById(id) {
      const [row] = await db.query<OrderRow>(`SELECT ${columns} FROM orders WHERE id = $1`, [id]);
      return row ? toOrder(row) : null;
    },

    async findByKey(userId, key) {
      const [row] = await db.query<OrderRow>(`SELECT ${columns} FROM orders WHERE user_id = $1 AND idempotency_key = $2`, [userId, key]);
      return row ? { order: toOrder(row), requestHash: row.request_hash } : null;
    },

    async list(filter, offset, limit) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replace('?', `$${params.length}`));
      };
      if (filter.userId) add('user_id = ?', filter.userId);
      if (filter.slotId) add('slot_id = ?', filter.slotId);
      if (filter.status) add('status = ?', filter.status);
      if (filter.statuses) add('status = ANY(?)', filter.statuses);
      if (filter.from) add('created_at >= ?', filter.from);
      if (filter.to) add('created_at < ?', filter.to);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const n = params.length;
      const { rows, total } = await pageOf<OrderRow>(
        db,
        {
          text: `SELECT ${columns}, (SELECT count(*)::int FROM orders ${clause}) AS total FROM orders ${clause}
                 ORDER BY created_at DESC, id DESC OFFSET $${n + 1} LIMIT $${n + 2}`,
          params: [...params, offset, limit],
        },
        { text: `SELECT count(*)::int AS n FROM orders ${clause}`, params },
        offset,
      );
      return { items: rows.map(toOrder), total };
    },

    transition(id, from, change, events) {
      return db.transaction(async (tx) => {
        const [row] = await tx.query<OrderRow>(
          `UPDATE orders SET status = $3, history = history || $4::jsonb, cancel_reason = COALESCE($5, cancel_reason), updated_at = $6,
                             payment = COALESCE($7::jsonb, payment)
           WHERE id = $1 AND status = $2 RETURNING ${columns}`,
          [id, from, change.status, JSON.stringify([change.entry]), change.cancelReason ?? null, change.updatedAt, change.payment ? JSON.stringify(change.payment) : null],
        );
        if (!row) return null;
        await appendEvents(tx, events);
        return toOrder(row);
      });
    },

    updatePayment(id, version, payment, updatedAt, events) {
      return db.transaction(async (tx) => {
        const [row] = await tx.query<OrderRow>(
          `UPDATE orders SET payment = $3::jsonb, updated_at = $4
           WHERE id = $1 AND payment IS NOT NULL AND (payment->>'version')::int = $2 RETURNING ${columns}`,
          [id, version, JSON.stringify(payment), updatedAt],
        );
        if (!row) return null;
        await appendEvents(tx, events);
        return toOrder(row);
      });
    },

    pack(id, plan) {
      return db.transaction(async (tx) => {
        // The row lock: a status change or another packing of this order waits for ours, and ours for theirs.
        const [current] = await tx.query<OrderRow>(`SELECT ${columns} FROM orders WHERE id = $1 FOR UPDATE`, [id]);
        if (!current) return null;
        const next = plan(toOrder(current));
        if (!next) return toOrder(current);
        // Products in one order, as the saga holds them: two packings never wait on each other's rows.
        for (const { productId, delta } of [...next.holds].sort((a, b) => a.productId.localeCompare(b.productId))) {
          if (!(await moveHold(tx, productId, id, delta))) {
            throw new DomainError('INSUFFICIENT_STOCK', 'Not enough stock of that product for this packing', [{ productId }]);
          }
        }
        const [row] = await tx.query<OrderRow>(
          `UPDATE orders SET items = $2, subtotal_cents = $3, total_cents = $4, updated_at = $5 WHERE id = $1 RETURNING ${columns}`,
          [id, JSON.stringify(next.items), next.subtotalCents, next.totalCents, next.updatedAt],
        );
        await appendEvents(tx, next.events);
        return toOrder(row);
      });
    },

    async redact(userId, at) {
      const rows = await db.query<{ id: string }>(
        `UPDATE orders SET address = jsonb_build_object('country', address->'country'), note = NULL, updated_at = $3
         WHERE user_id = $1 AND NOT (status = ANY($2)) AND (note IS NOT NULL OR address - 'country' <> '{}'::jsonb)
         RETURNING id`,
        [userId, openStatuses, at],
      );
      return rows.length;
    },
  };
}

/** The customer's open orders, and the units of each product in them. */
async function holdings(tx: SqlClient, userId: string): Promise<OpenHoldings> {
  const [{ orders }] = await tx.query<{ orders: number }>(`SELECT count(*)::int AS orders FROM orders WHERE user_id = $1 AND status = ANY($2)`, [
    userId,
    openStatuses,
  ]);
  const units = await tx.query<{ product_id: string; units: number }>(
    `SELECT item->>'productId' AS product_id, sum((item->>'quantity')::int)::int AS units
     FROM orders, jsonb_array_elements(items) AS item WHERE user_id = $1 AND status = ANY($2) GROUP BY 1`,
    [userId, openStatuses],
  );
  return { orders, units: Object.fromEntries(units.map((u) => [u.product_id, u.units])) };
}
