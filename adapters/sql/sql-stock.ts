import type { ReservationRepository, StockRepository } from '#domain/catalog/stock.js';
import type { SqlClient, SqlDatabase } from './sql-database.js';
import { onHandNow } from './schema.js';
import { appendEvents } from './sql-outbox.js';

/**
 * Stock held for orders, noted on the product row itself (`holds`: order id → quantity): each
 * step is one conditional UPDATE of one row, as on MongoDB. A hold takes from stock (available)
 * and a release gives back to it; on_hand only moves when the order ships (settle).
 */
export function sqlStock(db: SqlDatabase): StockRepository {
  return {
    async hold(productId, orderId, quantity) {
      // Without waiting for the disk: a hold only counts once the saga records its decision, in a
      // transaction that does wait, and PostgreSQL's log is written in order, so that commit makes
      // the holds before it durable too. A hold lost in a crash before it is simply taken again.
      const taken = await db.transaction(async (tx) => {
        await tx.query('SET LOCAL synchronous_commit = off');
        return tx.query(
          `UPDATE products SET stock = stock - $3, holds = holds || jsonb_build_object($2::text, $3::int)
           WHERE id = $1 AND deleted_at IS NULL AND available AND stock >= $3 AND NOT holds ? $2 RETURNING id`,
          [productId, orderId, quantity],
        );
      });
      if (taken.length) return 'held';
      const [row] = await db.query<{ held: boolean; orderable: boolean }>(
        'SELECT holds ? $2 AS held, deleted_at IS NULL AND available AS orderable FROM products WHERE id = $1',
        [productId, orderId],
      );
      if (row?.held) return 'held';
      return row?.orderable ? 'insufficient' : 'unavailable';
    },

    async release(productId, orderId) {
      const returned = await db.query(
        `UPDATE products SET stock = stock + (holds->>$2)::int, holds = holds - $2 WHERE id = $1 AND holds ? $2 RETURNING id`,
        [productId, orderId],
      );
      return returned.length > 0;
    },

    async settle(productId, orderId) {
      // The held units leave the shelf; stock (available) already went down when they were held.
      await db.query(`UPDATE products SET on_hand = ${onHandNow} - (holds->>$2)::int, holds = holds - $2 WHERE id = $1 AND holds ? $2`, [
        productId,
        orderId,
      ]);
    },
  };
}

/**
 * Moves what an order holds of a product by `delta` (packing: weighed heavier or lighter, short,
 * substituted), stock the other way; a hold that comes to 0 goes. One conditional UPDATE: false
 * when stock would go below zero (or the hold below zero), and nothing changes then.
 */
export async function moveHold(tx: SqlClient, productId: string, orderId: string, delta: number) {
  const held = `COALESCE((holds->>$2)::int, 0)`;
  const moved = await tx.query(
    `UPDATE products SET stock = stock - $3::int,
       holds = CASE WHEN ${held} + $3::int = 0 THEN holds - $2 ELSE holds || jsonb_build_object($2::text, ${held} + $3::int) END
     WHERE id = $1 AND stock - $3::int >= 0 AND ${held} + $3::int >= 0 RETURNING id`,
    [productId, orderId, delta],
  );
  return moved.length > 0;
}

export function sqlReservations(db: SqlDatabase): ReservationRepository {
  return {
    async find(orderId) {
      const [row] = await db.query<{ status: 'reserved' }>('SELECT status FROM reservations WHERE order_id = $1', [orderId]);
      return row?.status ?? null;
    },

    async rejection(orderId) {
      const [row] = await db.query<{ reason: 'out_of_stock' | null }>("SELECT reason FROM reservations WHERE order_id = $1 AND status = 'rejected'", [orderId]);
      return row?.reason ?? null;
    },

    decide(orderId, decision, events, rejection) {
      return db.transaction(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO reservations (order_id, status, reason, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
          [orderId, decision, rejection ?? null],
        );
        if (inserted.length) await appendEvents(tx, events);
        return inserted.length > 0;
      });
    },

    async move(orderId, from, to) {
      const moved = await db.query('UPDATE reservations SET status = $3, updated_at = now() WHERE order_id = $1 AND status = $2 RETURNING order_id', [
        orderId,
        from,
        to,
      ]);
      return moved.length > 0;
    },
  };
}
