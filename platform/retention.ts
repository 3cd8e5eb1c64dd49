import type { KeyValueStore } from '#domain/ports.js';
import type { Retained } from '#domain/retention.js';
import type { Store } from '#domain/store.js';
import { CALL_WINDOW_SECONDS } from './call-once.js';
import type { Config } from './config.js';
import { HANDLED_TTL_SECONDS } from './event-handler.js';
import { SENT_RECORD_TTL_SECONDS } from '#domain/mail/mailing.js';
import { REMINDED_TTL_SECONDS } from '#domain/cart/reminders.js';

/** Days a password-reset or verification token stays after it was used or expired. */
const TOKEN_DAYS = 7;

const HOUR = 3_600_000;
const DAY_SECONDS = 24 * 3600;
const inWords = (seconds: number) => (seconds % DAY_SECONDS ? `${seconds / 3600} hours` : `${seconds / DAY_SECONDS} days`);

/**
 * Everything the shop keeps only for a while, and for how long: the list the daily `prune`
 * schedule (functions/prune, domain/retention.ts) works through, in this order.
 *
 * To keep a new kind of record for a while (sent-mail records, password-reset tokens, …):
 * - in the key-value store with a TTL (as tokens are): nothing to add, its TTL is its retention
 *   and `expired-keys` below removes what a store did not remove itself; name it in `keptFor`;
 * - in the database: give its repository a `prune(before)` in every adapter (SQL and MongoDB,
 *   with a test in its contract suite, as `Outbox.prune` has) and add one entry here.
 * Then add its row to the README's Retention table (test/prune.test.ts holds the two together).
 */
export function retainedRecords({ config, store, kv }: { config: Config; store: Store; kv: KeyValueStore }): Retained[] {
  const outboxHours = config.events.outboxRetentionHours;
  return [
    {
      name: 'outbox-sent-events',
      keptFor: `${outboxHours} hours after it was published (OUTBOX_RETENTION_HOURS)`,
      prune: (now) => store.outbox.prune(new Date(now.getTime() - outboxHours * HOUR)),
    },
    {
      name: 'one-time-tokens',
      keptFor: `${TOKEN_DAYS} days after it was used or expired`,
      prune: (now) => store.tokens.prune(new Date(now.getTime() - TOKEN_DAYS * 24 * HOUR)),
    },
    {
      name: 'expired-keys',
      keptFor:
        `handled-event records ${inWords(HANDLED_TTL_SECONDS)}, async-call answers (their idempotency keys) ` +
        `${inWords(CALL_WINDOW_SECONDS)}, sent-mail records ${inWords(SENT_RECORD_TTL_SECONDS)}, reminded cart states ` +
        `${inWords(REMINDED_TTL_SECONDS)}: their TTL in the key-value store`,
      prune: () => kv.removeExpired(),
    },
  ];
}
