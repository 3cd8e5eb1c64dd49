import type { Connection } from 'mongoose';
import { openStatuses, storedItem, type OpenHoldings, type Order, type OrderRepository, type StoredItem } from '#domain/orders/order.js';
import { duplicateKeyOn, mongoModels } from './models.js';
import { appendEvents } from './mongo-outbox.js';
import { inTransaction } from './transaction.js';
import { moveHold } from './mongo-stock.js';
import { DomainError } from '#domain/errors.js';

interface OrderDoc extends Omit<Order, 'id' | 'subtotalCents' | 'deliveryFeeCents' | 'items'> {
  _id: string;
  items: StoredItem[];
  subtotalCents?: number;
  deliveryFeeCents?: number;
  slotId?: string;
  idempotencyKey: string;
  requestHash: string;
}

export const toOrder = (d: OrderDoc): Order => ({
  id: String(d._id),
  userId: d.userId,
  status: d.status,
  items: d.items.map(storedItem),
  subtotalCents: d.subtotalCents ?? d.totalCents,
  deliveryFeeCents: d.deliveryFeeCents ?? 0,
  totalCents: d.totalCents,
  currency: d.currency,
  ...(d.tax?.rates ? { tax: { rates: { standard: d.tax.rates.standard, reduced: d.tax.rates.reduced, zero: d.tax.rates.zero }, deliveryClass: d.tax.deliveryClass } } : {}),
  address: {
    ...(d.address.label ? { label: d.address.label } : {}),
    ...(d.address.street ? { street: d.address.street } : {}),
    ...(d.address.city ? { city: d.address.city } : {}),
    ...(d.address.postalCode ? { postalCode: d.address.postalCode } : {}),
    country: d.address.country,
  },
  ...(d.delivery?.zone
    ? {
        delivery: {
          zone: { id: d.delivery.zone.id, name: d.delivery.zone.name },
          ...(d.delivery.slot?.id ? { slot: { id: d.delivery.slot.id, start: d.delivery.slot.start, end: d.delivery.slot.end } } : {}),
        },
      }
    : {}),
  ...(d.note ? { note: d.note } : {}),
  ...(d.cancelReason ? { cancelReason: d.cancelReason } : {}),
  ...(d.payment?.method
    ? {
        payment: {
          method: d.payment.method,
          status: d.payment.status,
          amountCents: d.payment.amountCents,
          capturedCents: d.payment.capturedCents ?? 0,
          refundedCents: d.payment.refundedCents ?? 0,
          refunds: (d.payment.refunds ?? []).map(({ id, amountCents, reason, at, by }) => ({ id, amountCents, reason, at, by })),
          ...(d.payment.intentId ? { intentId: d.payment.intentId } : {}),
          ...(d.payment.clientSecret ? { clientSecret: d.payment.clientSecret } : {}),
          handledEvents: [...(d.payment.handledEvents ?? [])],
          version: d.payment.version ?? 0,
        },
      }
    : {}),
  history: d.history.map(({ status, at, by, reason }) => ({ status, at, by, ...(reason ? { reason } : {}) })),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

/** Orders in MongoDB. Writes with events run in a session transaction (needs a replica set). */
export function mongoOrders(connection: Connection): OrderRepository {
  const { Order, Counter } = mongoModels(connection);
  const byKey = (userId: string, key: string) => Order.findOne({ userId: String(userId), idempotencyKey: String(key) }).lean<OrderDoc>();

  return {
    async create(order, { key, requestHash }, events, admit) {
      const { id, ...rest } = order;
      const userId = String(order.userId);
      const lock = `open-orders:${userId}`;
      try {
        // Made outside the transaction: two transactions inserting it at once could fail on its
        // unique _id, which the driver does not retry; a plain upsert on _id the server retries.
        if (admit) await Counter.updateOne({ _id: lock }, { $setOnInsert: { seq: 0 } }, { upsert: true });
        const earlier = await inTransaction(connection, async (session) => {
          if (admit) {
            // Every order of this customer writes this one document first. Two transactions
            // writing one document cannot both commit (the second gets a WriteConflict, and the
            // driver runs it again from the start), and a transaction whose snapshot predates
            // another's commit of this document conflicts too; so the one that commits counted
            // every open order committed before it.
            await Counter.updateOne({ _id: lock }, { $inc: { seq: 1 } }, { session });
            const earlier = await Order.findOne({ userId, idempotencyKey: String(key) }).session(session).lean<OrderDoc>();
            if (earlier) return earlier;
            const open = await Order.find({ userId, status: { $in: openStatuses } }, { items: 1 }).session(session).lean<Pick<OrderDoc, 'items'>[]>();
            admit(holdingsOf(open));
          }
          const slotId = order.delivery?.slot?.id;
          await Order.create([{ _id: id, ...rest, ...(slotId ? { slotId } : {}), idempotencyKey: key, requestHash }], { session });
          await appendEvents(connection, session, events);
          return null;
        });
        if (earlier) return { order: toOrder(earlier), requestHash: earlier.requestHash, created: false };
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
      if (filter.slotId) query.slotId = String(filter.slotId);
      if (filter.status) query.status = String(filter.status);
      if (filter.statuses) query.status = { ...(filter.status ? { $eq: String(filter.status) } : {}), $in: filter.statuses.map(String) };
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
        if (change.payment) set.payment = change.payment;
        const doc = await Order.findOneAndUpdate(
          { _id: String(id), status: from },
          { $set: set, $push: { history: change.entry } },
          { returnDocument: 'after', lean: true, runValidators: true, session },
        );
        if (!doc) return null;
        await appendEvents(connection, session, events);
        return toOrder(doc);
      });
    },

    pack(id, plan) {
      return inTransaction(connection, async (session) => {
        const current = await Order.findById(String(id)).session(session).lean<OrderDoc>();
        if (!current) return null;
        const next = plan(toOrder(current));
        if (!next) return toOrder(current);
        // Products in one order, as the saga holds them.
        for (const { productId, delta } of [...next.holds].sort((a, b) => a.productId.localeCompare(b.productId))) {
          if (!(await moveHold(connection, session, productId, String(id), delta))) {
            throw new DomainError('INSUFFICIENT_STOCK', 'Not enough stock of that product for this packing', [{ productId }]);
          }
        }
        // Written in the transaction that read it: a status change or another packing of the order
        // committed since our snapshot is a write conflict, and the driver runs this one again.
        const doc = await Order.findOneAndUpdate(
          { _id: String(id) },
          { $set: { items: next.items, subtotalCents: next.subtotalCents, totalCents: next.totalCents, updatedAt: next.updatedAt } },
          { returnDocument: 'after', lean: true, runValidators: true, session },
        );
        await appendEvents(connection, session, next.events);
        return toOrder(doc);
      });
    },

    updatePayment(id, version, payment, updatedAt, events) {
      return inTransaction(connection, async (session) => {
        // Conditional on the version read: of two changes from one version, one is made.
        const doc = await Order.findOneAndUpdate(
          { _id: String(id), 'payment.version': version },
          { $set: { payment, updatedAt } },
          { returnDocument: 'after', lean: true, runValidators: true, session },
        );
        if (!doc) return null;
        await appendEvents(connection, session, events);
        return toOrder(doc);
      });
    },

    async redact(userId, at) {
      const { modifiedCount } = await Order.updateMany(
        {
          userId: String(userId),
          status: { $nin: openStatuses },
          $or: [{ note: { $exists: true } }, { 'address.street': { $exists: true } }, { 'address.city': { $exists: true } }, { 'address.postalCode': { $exists: true } }, { 'address.label': { $exists: true } }],
        },
        { $unset: { note: 1, 'address.label': 1, 'address.street': 1, 'address.city': 1, 'address.postalCode': 1 }, $set: { updatedAt: at } },
      );
      return modifiedCount;
    },
  };
}

/** What a customer's open orders hold: how many, and the units of each product. */
function holdingsOf(open: Pick<OrderDoc, 'items'>[]): OpenHoldings {
  const units: Record<string, number> = {};
  for (const { items } of open) for (const { productId, quantity } of items) units[productId] = (units[productId] ?? 0) + quantity;
  return { orders: open.length, units };
}
