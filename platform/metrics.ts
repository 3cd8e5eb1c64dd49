import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/**
 * What this process counts wherever its code runs, a function's handler included: the mails it
 * sent or failed to send, and Node's own numbers (memory, CPU, event-loop delay, `process_*` and
 * `nodejs_*`). One registry per process: the runtime's `GET /metrics` (runtime/metrics.ts) and the
 * standalone connector's add it to their own.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

export type MailOutcome = 'sent' | 'failed';

const mails = new Counter({
  name: 'shop_mails_total',
  help: 'Mails handed to the mail server (sent) or not (failed), by message kind',
  labelNames: ['message', 'outcome'] as const,
  registers: [processRegistry],
});

/**
 * Counts one mail: `sent` once the mail server took it, `failed` when it refused it or could not
 * be reached (a retry that then succeeds counts once more, as sent). `message` is the kind of mail,
 * such as `order-confirmed`: a short fixed name, never a recipient or a subject.
 */
export function countMail(message: string, outcome: MailOutcome) {
  mails.inc({ message, outcome });
}
