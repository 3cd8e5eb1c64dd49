import type { Connection } from 'mongoose';
import type { DeliveryZone, SlotRepository, ZoneRepository } from '#domain/delivery/zone.js';
import { mongoModels } from './models.js';
import { inTransaction } from './transaction.js';

interface ZoneDoc extends Omit<DeliveryZone, 'id'> {
  _id: string;
}

const toZone = (d: ZoneDoc): DeliveryZone => ({
  id: String(d._id),
  name: d.name,
  postcodes: [...d.postcodes],
  feeCents: d.feeCents,
  minimumOrderCents: d.minimumOrderCents,
  ...(typeof d.freeOverCents === 'number' ? { freeOverCents: d.freeOverCents } : {}),
  ...(d.paymentMethods?.length ? { paymentMethods: [...d.paymentMethods] } : {}),
  timetable: (d.timetable ?? []).map(({ weekday, start, end, capacity }) => ({ weekday, start, end, capacity })),
  closedDays: [...(d.closedDays ?? [])],
  capacityOverrides: (d.capacityOverrides ?? []).map(({ date, start, capacity }) => ({ date, ...(start ? { start } : {}), capacity })),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

const toDoc = ({ id, ...zone }: DeliveryZone) => ({ _id: id, ...zone });

// Every zone write bumps this one document first, in its transaction: two such transactions
// cannot both commit (a write conflict runs the later one again from the start), so the overlap
// check of the one that commits saw every zone committed before it (as mongo-orders.ts does).
const GUARD = 'delivery-zones';

/** Delivery zones in MongoDB; writes run in a transaction behind one guard document. */
export function mongoZones(connection: Connection): ZoneRepository {
  const { DeliveryZone: Zone, Counter } = mongoModels(connection);
  const guard = async () => {
    // Made outside the transaction (a plain upsert on _id the server retries), as in mongo-orders.ts.
    await Counter.updateOne({ _id: GUARD }, { $setOnInsert: { seq: 0 } }, { upsert: true });
  };
  return {
    async create(zone, admit) {
      await guard();
      return inTransaction(connection, async (session) => {
        await Counter.updateOne({ _id: GUARD }, { $inc: { seq: 1 } }, { session });
        admit((await Zone.find({}).session(session).lean<ZoneDoc[]>()).map(toZone));
        await Zone.create([toDoc(zone)], { session });
        return zone;
      });
    },

    async update(id, change) {
      await guard();
      return inTransaction(connection, async (session) => {
        await Counter.updateOne({ _id: GUARD }, { $inc: { seq: 1 } }, { session });
        const zones = (await Zone.find({}).session(session).lean<ZoneDoc[]>()).map(toZone);
        const current = zones.find((z) => z.id === String(id));
        if (!current) return null;
        const next = change(current, zones.filter((z) => z.id !== current.id));
        const { _id, ...fields } = toDoc(next);
        const gone = { ...(next.freeOverCents === undefined ? { freeOverCents: 1 } : {}), ...(next.paymentMethods === undefined ? { paymentMethods: 1 } : {}) };
        const unset = Object.keys(gone).length ? { $unset: gone } : {};
        await Zone.updateOne({ _id }, { $set: fields, ...unset }, { session, runValidators: true });
        return next;
      });
    },

    async delete(id) {
      const { deletedCount } = await Zone.deleteOne({ _id: String(id) });
      return deletedCount > 0;
    },

    async findById(id) {
      const doc = await Zone.findById(String(id)).lean<ZoneDoc>();
      return doc ? toZone(doc) : null;
    },

    async list() {
      const zones = (await Zone.find({}).lean<ZoneDoc[]>()).map(toZone);
      return zones.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id));
    },
  };
}

// Order ids become field names under `holds`: only our own plain ids may.
const holdPath = (orderId: string) => {
  if (!/^[\w-]{1,64}$/.test(orderId)) throw new Error(`not an order id: ${orderId}`);
  return `holds.${orderId}`;
};

/** Places in delivery slots: one conditional update of the slot's document per hold, as on PostgreSQL. */
export function mongoSlots(connection: Connection): SlotRepository {
  const slots = mongoModels(connection).DeliverySlot.collection;
  return {
    async hold(slotId, zoneId, orderId, capacity) {
      const path = holdPath(orderId);
      const _id = String(slotId) as never;
      // The document first (an upsert on _id alone, which the server retries on a duplicate key).
      await slots.updateOne({ _id }, { $setOnInsert: { zoneId: String(zoneId), taken: 0, holds: {} } }, { upsert: true });
      const { modifiedCount } = await slots.updateOne({ _id, taken: { $lt: capacity }, [path]: { $exists: false } }, { $inc: { taken: 1 }, $set: { [path]: 1 } });
      if (modifiedCount) return true;
      const doc = await slots.findOne({ _id }, { projection: { [path]: 1 } });
      return doc?.holds?.[orderId] !== undefined;
    },

    async release(slotId, orderId) {
      const path = holdPath(orderId);
      const { modifiedCount } = await slots.updateOne({ _id: String(slotId) as never, [path]: { $exists: true } }, { $inc: { taken: -1 }, $unset: { [path]: '' } });
      return modifiedCount > 0;
    },

    async taken(slotIds) {
      if (!slotIds.length) return {};
      const docs = await slots.find({ _id: { $in: slotIds.map(String) as never[] } }, { projection: { taken: 1 } }).toArray();
      return Object.fromEntries(docs.map((d) => [String(d._id), d.taken as number]));
    },
  };
}
