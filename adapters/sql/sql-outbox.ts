import type { DomainEvent, Outbox } from '#domain/ports.js';
import type { SqlClient } from './sql-database.js';

/** Stores events inside the caller's transaction, next to the change they describe. */
export async function appendEvents(tx: SqlClient, events: DomainEvent[] = []) {
  for (const e of events) {
    await tx.query('INSERT INTO outbox (id, type, data, call_id, occurred_at) VALUES ($1, $2, $3, $4, $5)', [
      e.id,
      e.type,
      JSON.stringify(e.data),
      e.callId ?? null,
      e.occurredAt,
    ]);
  }
}

interface OutboxRow {
  id: string;
  type: string;
  data: unknown;
  call_id: string | null;
  occurred_at: Date;
}

export function sqlOutbox(db: SqlClient): Outbox {
  return {
    async pending(limit) {
      const rows = await db.query<OutboxRow>(
        'SELECT id, type, data, call_id, occurred_at FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1',
        [limit],
      );
      return rows.map((r) => ({
        id: r.id,
        type: r.type,
        data: r.data,
        occurredAt: new Date(r.occurred_at).toISOString(),
        ...(r.call_id ? { callId: r.call_id } : {}),
      }));
    },
    async markSent(ids) {
      if (ids.length) await db.query('UPDATE outbox SET sent_at = now() WHERE id = ANY($1::text[])', [ids]);
    },
  };
}
