import type { ClientSession, Connection } from 'mongoose';
import type { ReservationRepository, StockRepository } from '#domain/catalog/stock.js';
import { duplicateKeyOn, mongoModels, onHandNow } from './models.js';
import { appendEvents } from './mongo-outbox.js';
import { inTransaction } from './transaction.js';

// Order ids become field names under `holds`: only our own plain ids may.
const holdPath = (orderId: string) => {
  if (!/^[\w-]{1,64}$/.test(orderId)) throw new Error(`not an order id: ${orderId}`);
  return `holds.${orderId}`;
};

/** settle as an update pipeline: the held units leave the shelf (stock went down when they were held), the note goes. */
export const settlePipeline = (orderId: string) => {
  const path = holdPath(orderId);
  return [{ $set: { onHand: { $subtract: [onHandNow, `$${path}`] } } }, { $unset: path }];
};

/**
 * Stock held for orders, noted on the product document itself (`holds`: order id → quantity):
 * each step is one conditional update of one document, as on PostgreSQL. A hold takes from stock
 * (available) and a release gives back to it; onHand only moves when the order ships (settle). The native collection
 * takes the updates as written (dotted paths, pipelines), without mongoose's casting.
 */
export function mongoStock(connection: Connection): StockRepository {
  const products = mongoModels(connection).Product.collection;
  return {
    async hold(productId, orderId, quantity) {
      const path = holdPath(orderId);
      const { modifiedCount } = await products.updateOne(
        { _id: String(productId) as never, deletedAt: null, available: true, stock: { $gte: quantity }, [path]: { $exists: false } },
        { $inc: { stock: -quantity }, $set: { [path]: quantity } },
      );
      if (modifiedCount) return 'held';
      const doc = await products.findOne({ _id: String(productId) as never }, { projection: { [path]: 1, deletedAt: 1, available: 1 } });
      if (doc?.holds?.[orderId] !== undefined) return 'held';
      return doc && doc.deletedAt === null && doc.available ? 'insufficient' : 'unavailable';
    },

    async release(productId, orderId) {
      const path = holdPath(orderId);
      const { modifiedCount } = await products.updateOne({ _id: String(productId) as never, [path]: { $exists: true } }, [
        { $set: { stock: { $add: ['$stock', `$${path}`] } } },
        { $unset: path },
      ]);
      return modifiedCount > 0;
    },

    async settle(productId, orderId) {
      await products.updateOne({ _id: String(productId) as never, [holdPath(orderId)]: { $exists: true } }, settlePipeline(orderId));
    },
  };
}

/**
 * Moves what an order holds of a product by `delta` (packing), stock the other way, inside the
 * caller's transaction; a hold that comes to 0 goes. False when stock (or the hold) would go below
 * zero, and nothing changes then.
 */
export async function moveHold(connection: Connection, session: ClientSession, productId: string, orderId: string, delta: number) {
  const products = mongoModels(connection).Product.collection;
  const path = holdPath(orderId);
  const held = { $ifNull: [`$${path}`, 0] };
  const { modifiedCount } = await products.updateOne(
    { _id: String(productId) as never, $expr: { $and: [{ $gte: [{ $subtract: ['$stock', delta] }, 0] }, { $gte: [{ $add: [held, delta] }, 0] }] } },
    [{ $set: { stock: { $subtract: ['$stock', delta] }, [path]: { $add: [held, delta] } } }],
    { session },
  );
  if (!modifiedCount) return false;
  await products.updateOne({ _id: String(productId) as never, [path]: 0 }, { $unset: { [path]: 1 } }, { session });
  return true;
}

export function mongoReservations(connection: Connection): ReservationRepository {
  const { Reservation } = mongoModels(connection);
  return {
    async find(orderId) {
      const doc = await Reservation.findById(String(orderId)).lean<{ status: 'reserved' }>();
      return doc?.status ?? null;
    },

    async rejection(orderId) {
      const doc = await Reservation.findOne({ _id: String(orderId), status: 'rejected' }).lean<{ reason?: 'out_of_stock' }>();
      return doc?.reason ?? null;
    },

    async decide(orderId, decision, events, rejection) {
      try {
        await inTransaction(connection, async (session) => {
          await Reservation.create([{ _id: String(orderId), status: decision, ...(rejection ? { reason: rejection } : {}), updatedAt: new Date() }], { session });
          await appendEvents(connection, session, events);
        });
        return true;
      } catch (error) {
        if (duplicateKeyOn(error, '_id')) return false;
        throw error;
      }
    },

    async move(orderId, from, to) {
      const { modifiedCount } = await Reservation.updateOne({ _id: String(orderId), status: from }, { $set: { status: to, updatedAt: new Date() } });
      return modifiedCount > 0;
    },
  };
}
