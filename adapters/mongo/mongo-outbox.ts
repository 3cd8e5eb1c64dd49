import { randomUUID } from 'node:crypto';
import type { ClientSession, Connection } from 'mongoose';
import type { DomainEvent, Outbox } from '#domain/ports.js';
import { mongoModels } from './models.js';

const RECONNECT_MS = 1000;

interface OutboxDoc {
  _id: string;
  type: string;
  data: unknown;
  callId?: string | null;
  occurredAt: Date;
}

const toEvent = (d: OutboxDoc): DomainEvent => ({
  id: String(d._id),
  type: d.type,
  occurredAt: d.occurredAt.toISOString(),
  data: d.data,
  ...(d.callId ? { callId: d.callId } : {}),
});

/**
 * Stores events in the caller's session (transaction), next to the change they describe,
 * numbered by the outbox counter. Two transactions writing events at once conflict on the
 * counter and the driver retries one of them: the numbers follow the order of the commits.
 */
export async function appendEvents(connection: Connection, session: ClientSession, events: DomainEvent[] = []) {
  if (!events.length) return;
  const { Outbox, Counter } = mongoModels(connection);
  const counter = await Counter.findOneAndUpdate(
    { _id: 'outbox' },
    { $inc: { seq: events.length } },
    { upsert: true, returnDocument: 'after', lean: true, session },
  );
  const first = counter!.seq - events.length + 1;
  await Outbox.insertMany(
    events.map((e, i) => ({ _id: e.id, seq: first + i, type: e.type, data: e.data, callId: e.callId, occurredAt: new Date(e.occurredAt) })),
    { session },
  );
}

export function mongoOutbox(connection: Connection): Outbox {
  const { Outbox } = mongoModels(connection);
  // Leases are compared with the server's clock ($$NOW), never with the relays' own clocks.
  const unclaimed = { sentAt: null, $or: [{ claimedUntil: null }, { $expr: { $lt: ['$claimedUntil', '$$NOW'] } }] };

  return {
    add: (events) => connection.transaction((session) => appendEvents(connection, session, events)),

    async pending(limit) {
      const docs = await Outbox.find({ sentAt: null }).sort({ seq: 1 }).limit(limit).lean<OutboxDoc[]>();
      return docs.map(toEvent);
    },

    async backlog() {
      const [unsent, oldest] = await Promise.all([
        Outbox.countDocuments({ sentAt: null }),
        Outbox.findOne({ sentAt: null }).sort({ seq: 1 }).lean<OutboxDoc>(),
      ]);
      return { unsent, oldestOccurredAt: oldest ? toEvent(oldest).occurredAt : null };
    },

    async claim(limit, leaseSeconds) {
      const candidates = await Outbox.find(unclaimed, { _id: 1 }).sort({ seq: 1 }).limit(limit).lean<{ _id: string }[]>();
      if (!candidates.length) return [];
      const ids = candidates.map((d) => d._id);
      // Each document is updated atomically: of relays racing for one, only one sets its token.
      const token = randomUUID();
      await Outbox.collection.updateMany({ _id: { $in: ids }, ...unclaimed } as never, [
        { $set: { claimedBy: token, claimedUntil: { $add: ['$$NOW', leaseSeconds * 1000] } } },
      ]);
      const mine = await Outbox.find({ _id: { $in: ids }, claimedBy: token }).sort({ seq: 1 }).lean<OutboxDoc[]>();
      return mine.map(toEvent);
    },

    async markSent(ids) {
      if (ids.length) await Outbox.updateMany({ _id: { $in: ids } }, { $set: { sentAt: new Date(), claimedUntil: null, claimedBy: null } });
    },

    async release(ids) {
      if (ids.length) await Outbox.updateMany({ _id: { $in: ids }, sentAt: null }, { $set: { claimedUntil: null, claimedBy: null } });
    },

    async prune(before) {
      const { deletedCount } = await Outbox.deleteMany({ sentAt: { $lt: before } });
      return deletedCount;
    },

    async watch(listener) {
      // A change stream sees every committed insert, from any process; a broken stream is
      // opened again, and what it missed meanwhile is what the relay's polling is for.
      let stream: ReturnType<typeof Outbox.watch> | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const open = () => {
        stream = Outbox.watch([{ $match: { operationType: 'insert' } }]);
        stream.on('change', () => listener());
        stream.on('error', () => {
          void stream?.close().catch(() => undefined);
          if (!stopped) retry = setTimeout(open, RECONNECT_MS);
        });
      };
      open();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        await stream?.close().catch(() => undefined);
      };
    },
  };
}
