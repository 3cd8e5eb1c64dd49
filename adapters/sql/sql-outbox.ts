import type { DomainEvent, Outbox } from '#domain/ports.js';
import type { SqlClient, SqlDatabase } from './sql-database.js';

/** The channel writers notify on commit; relays listening on it publish at once. */
export const OUTBOX_CHANNEL = 'shop_outbox';

/**
 * Stores events inside the caller's transaction, next to the change they describe, and
 * notifies the relays: PostgreSQL delivers the notification when (and only if) it commits.
 */
export async function appendEvents(tx: SqlClient, events: DomainEvent[] = []) {
  if (!events.length) return;
  const values = events.map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`);
  await tx.query(
    `INSERT INTO outbox (id, type, data, call_id, occurred_at) VALUES ${values.join(', ')}`,
    events.flatMap((e) => [e.id, e.type, JSON.stringify(e.data), e.callId ?? null, e.occurredAt]),
  );
  await tx.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
}

interface OutboxRow {
  seq: string;
  id: string;
  type: string;
  data: unknown;
  call_id: string | null;
  occurred_at: Date;
}

const columns = 'seq, id, type, data, call_id, occurred_at';

const toEvent = (r: OutboxRow): DomainEvent => ({
  id: r.id,
  type: r.type,
  occurredAt: new Date(r.occurred_at).toISOString(),
  data: r.data,
  ...(r.call_id ? { callId: r.call_id } : {}),
});

export function sqlOutbox(db: SqlDatabase): Outbox {
  /**
   * The relay's own bookkeeping (claims, sent marks) need not wait for the disk: a commit lost in
   * a crash only means an event is published again, which every consumer takes as a no-op. This
   * saves two fsyncs per event on each hop of the saga. The events themselves are stored with
   * the change they describe, in a transaction that waits as every other does.
   *
   * `set_config(…, true)` lasts until the end of the statement's own transaction, as SET LOCAL
   * does in a block, and PostgreSQL reads the setting when that transaction commits: one round
   * trip per claim or mark instead of four (BEGIN, SET LOCAL, the statement, COMMIT).
   */
  const noSync = `(SELECT set_config('synchronous_commit', 'off', true)) no_sync`;

  return {
    add: (events) => db.transaction((tx) => appendEvents(tx, events)),

    async pending(limit) {
      const rows = await db.query<OutboxRow>(`SELECT ${columns} FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1`, [limit]);
      return rows.map(toEvent);
    },

    async backlog() {
      const [row] = await db.query<{ unsent: number; oldest: Date | null }>(
        'SELECT count(*)::int AS unsent, min(occurred_at) AS oldest FROM outbox WHERE sent_at IS NULL',
      );
      return { unsent: row.unsent, oldestOccurredAt: row.oldest ? new Date(row.oldest).toISOString() : null };
    },

    async claim(limit, leaseSeconds) {
      // SKIP LOCKED: relays claiming at the same moment each get other rows instead of waiting.
      const rows = await db.query<OutboxRow>(
        `UPDATE outbox o SET claimed_until = now() + make_interval(secs => $2)
         FROM (SELECT seq FROM outbox
               WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
               ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED) picked, ${noSync}
         WHERE o.seq = picked.seq
         RETURNING o.seq, o.id, o.type, o.data, o.call_id, o.occurred_at`,
        [limit, leaseSeconds],
      );
      return rows.sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq))).map(toEvent);
    },

    async markSent(ids) {
      if (ids.length) await db.query(`UPDATE outbox SET sent_at = now(), claimed_until = NULL FROM ${noSync} WHERE id = ANY($1::text[])`, [ids]);
    },

    async release(ids) {
      if (ids.length) await db.query(`UPDATE outbox SET claimed_until = NULL FROM ${noSync} WHERE id = ANY($1::text[]) AND sent_at IS NULL`, [ids]);
    },

    async prune(before) {
      const rows = await db.query('DELETE FROM outbox WHERE sent_at < $1 RETURNING seq', [before]);
      return rows.length;
    },

    watch: (listener) => db.listen(OUTBOX_CHANNEL, listener),
  };
}
