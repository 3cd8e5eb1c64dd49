import type { ClientSession, Connection } from 'mongoose';
import type { DomainEvent, Outbox } from '#domain/ports.js';
import { mongoModels } from './models.js';

/** Stores events in the caller's session (transaction), next to the change they describe. */
export async function appendEvents(connection: Connection, session: ClientSession, events: DomainEvent[] = []) {
  if (!events.length) return;
  const { Outbox } = mongoModels(connection);
  await Outbox.insertMany(
    events.map((e) => ({ _id: e.id, type: e.type, data: e.data, callId: e.callId, occurredAt: new Date(e.occurredAt) })),
    { session },
  );
}

export function mongoOutbox(connection: Connection): Outbox {
  const { Outbox } = mongoModels(connection);
  return {
    async pending(limit) {
      const docs = await Outbox.find({ sentAt: null }).sort({ occurredAt: 1, _id: 1 }).limit(limit).lean();
      return docs.map((d) => ({
        id: String(d._id),
        type: d.type as string,
        data: d.data,
        occurredAt: (d.occurredAt as Date).toISOString(),
        ...(d.callId ? { callId: d.callId as string } : {}),
      }));
    },
    async markSent(ids) {
      if (ids.length) await Outbox.updateMany({ _id: { $in: ids } }, { $set: { sentAt: new Date() } });
    },
  };
}
