import { DomainError } from '../errors.js';
import type { KeyValueStore } from '../ports.js';
import { MailUnavailableError, type Mailer } from './mail.js';
import type { Content } from './messages.js';

/** Sent-mail records live this long: far beyond the connector's retries (about 13 minutes in all). */
export const SENT_RECORD_TTL_SECONDS = 30 * 24 * 3600;
/** While one delivery sends a mail, another of the same event waits (then finds the record). */
const SENDING_LEASE_SECONDS = 120;

export interface SentRecord {
  to: string;
  subject: string;
  outcome: 'sent' | 'rejected';
  reason?: string;
  at: string;
}

export type Delivered = SentRecord & { now: boolean };

const key = {
  sent: (id: string) => `mail:sent:${id}`,
  sending: (id: string) => `mail:sending:${id}`,
};

/**
 * Sends each mail at most once per key (an event id and which mail of it), at least once while
 * its event is delivered: a record of the sent mail, written after the server took it, makes a
 * redelivery a no-op; a lease (a conditional write) keeps two deliveries of one event at once
 * from both sending. A crash between the send and the record sends the mail again on the next
 * delivery, with the same Message-ID (mail clients show it once).
 */
export function createMailing({ kv, mailer, messageIdDomain, now }: { kv: KeyValueStore; mailer: Mailer; messageIdDomain: string; now: () => Date }) {
  return {
    /** The record of a mail already sent (or refused for good) under this key, or null. */
    async sent(id: string): Promise<Delivered | null> {
      const before = await kv.get(key.sent(id));
      return before ? { ...(JSON.parse(before) as SentRecord), now: false } : null;
    },

    async deliver(id: string, to: string, content: Content): Promise<Delivered> {
      const before = await kv.get(key.sent(id));
      if (before) return { ...(JSON.parse(before) as SentRecord), now: false };
      if (!(await kv.set(key.sending(id), '1', { ttlSeconds: SENDING_LEASE_SECONDS, ifAbsent: true }))) {
        throw new DomainError('CONFLICT', 'This mail is being sent right now');
      }
      try {
        const outcome = await mailer.send({ to, ...content, messageId: `<${id}@${messageIdDomain}>` });
        const record: SentRecord = { to, subject: content.subject, outcome: outcome.outcome, at: now().toISOString() };
        if (outcome.outcome === 'rejected') record.reason = outcome.reason;
        await kv.set(key.sent(id), JSON.stringify(record), { ttlSeconds: SENT_RECORD_TTL_SECONDS, ifAbsent: true });
        return { ...record, now: true };
      } catch (error) {
        if (error instanceof MailUnavailableError) throw new DomainError('MAIL_UNAVAILABLE', error.message);
        throw error;
      } finally {
        await kv.delete(key.sending(id));
      }
    },
  };
}

export type Mailing = ReturnType<typeof createMailing>;
