import type { Connection } from 'mongoose';
import type { Order, OrderRepository } from '#domain/orders/order.js';
import { duplicateKeyOn, mongoModels } from './models.js';
import { appendEvents } from './mongo-outbox.js';
import { inTransaction } from './transaction.js';

interface OrderDoc extends Omit<Order, 'id'> {
  _id: string;
  idempotencyKey: string;
  requestHash: string;
}

const toOrder = (d: OrderDoc): Order => ({
  id: String(d._id),
  userId: d.userId,
  status: d.status,
  items: d.items.map(({ productId, name, unitPriceCents, quantity, lineTotalCents }) => ({ productId, name, unitPriceCents, quantity, lineTotalCents })),
  totalCents: d.totalCents,
  currency: d.currency,
  address: {
    ...(d.address.label ? { label: d.address.label } : {}),
    street: d.address.street,
    city: d.address.city,
    postalCode: d.address.postalCode,
    country: d.address.country,
  },
  ...(d.note ? { note: d.note } : {}),
  ...(d.cancelReason ? { cancelReason: d.cancelReason } : {}),
  history: d.history.map(({ status, at, by, reason }) => ({ status, at, by, ...(reason ? { reason } : {}) })),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

/** Orders in MongoDB. Writes with events run in a session transaction (needs a replica set). */
export function mongoOrders(connection: Connection): OrderRepository {
  const { Order } = mongoModels(connection);
  const byKey = (userId: string, key: string) => Order.findOne({ userId: String(userId), idempotencyKey: String(key) }).lean<OrderDoc>();

  return {
    async create(order, { key, requestHash }, events) {
      const { id, ...rest } = order;
      try {
        await inTransaction(connection, async (session) => {
          await Order.create([{ _id: id, ...rest, idempotencyKey: key, requestHash }], { session });
          await appendEvents(connection, session, events);
        });
        return { order, requestHash, created: true };
      } catch (error) {
        // Another request with this key got there first: answer its order.
        if (!duplicateKeyOn(error, 'idempotencyKey')) throw error;
        const earlier = (await byKey(order.userId, key))!;
        return { order: toOrder(earlier), requestHash: earlier.requestHash, created: false };
      }
    },

    async findById(id) {
      const doc = await Order.findById(String(id)).lean<OrderDoc>();
      return doc ? toOrder(doc) : null;
    },

    async findByKey(userId, key) {
      const doc = await byKey(userId, key);
      return doc ? { order: toOrder(doc), requestHash: doc.requestHash } : null;
    },

    async list(filter, offset, limit) {
      const query: Record<string, unknown> = {};
      if (filter.userId) query.userId = String(filter.userId);
      if (filter.status) query.status = String(filter.status);
      if (filter.from || filter.to) query.createdAt = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
      const [docs, total] = await Promise.all([
        Order.find(query).sort({ createdAt: -1, _id: -1 }).skip(offset).limit(limit).lean<OrderDoc[]>(),
        Order.countDocuments(query),
      ]);
      return { items: docs.map(toOrder), total };
    },

    transition(id, from, change, events) {
      return inTransaction(connection, async (session) => {
        const set: Record<string, unknown> = { status: change.status, updatedAt: change.updatedAt };
        if (change.cancelReason) set.cancelReason = change.cancelReason;
        const doc = await Order.findOneAndUpdate(
          { _id: String(id), status: from },
          { $set: set, $push: { history: change.entry } },
          { returnDocument: 'after', lean: true, runValidators: true, session },
        );
        if (!doc) return null;
        await appendEvents(connection, session, events);
        return toOrder(doc as unknown as OrderDoc);
      });
    },
  };
}
