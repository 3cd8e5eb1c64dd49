import type { FastifyBaseLogger } from 'fastify';
import { DomainError } from '#domain/errors.js';
import type { Delivered } from '#domain/mail/mailing.js';
import { countMail } from './metrics.js';

/**
 * One log line per mail a send-* function handled (sent, refused for good, sent before, or
 * skipped), and its count in `shop_mails_total` under `message`, the kind of mail (such as
 * `order-confirmed`): `sent` when the server took it now, `failed` when it refused it for good
 * or could not be reached (503 MAIL_UNAVAILABLE, which the connector retries).
 */
export async function logMail(log: FastifyBaseLogger, message: string, mailing: Promise<Delivered | { outcome: 'skipped' }>) {
  let result: Delivered | { outcome: 'skipped' };
  try {
    result = await mailing;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'MAIL_UNAVAILABLE') countMail(message, 'failed');
    throw error;
  }
  if (result.outcome === 'skipped') return log.info('no mail: the user or order no longer exists, or did not ask for it');
  const line = { to: result.to, subject: result.subject, ...(result.reason ? { reason: result.reason } : {}) };
  if (!result.now) return log.info(line, 'mail sent before: not sent again');
  countMail(message, result.outcome === 'sent' ? 'sent' : 'failed');
  if (result.outcome === 'rejected') return log.warn(line, 'mail refused for good by the server for this recipient');
  log.info(line, 'mail sent');
}
