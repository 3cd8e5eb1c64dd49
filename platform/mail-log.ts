import type { FastifyBaseLogger } from 'fastify';
import type { Delivered } from '#domain/mail/mailing.js';

/** One log line per mail a send-* function handled: sent, refused for good, sent before, or skipped. */
export function logMail(log: FastifyBaseLogger, result: Delivered | { outcome: 'skipped' }) {
  if (result.outcome === 'skipped') return log.info('no mail: the user or order no longer exists, or did not ask for it');
  const line = { to: result.to, subject: result.subject, ...(result.reason ? { reason: result.reason } : {}) };
  if (!result.now) return log.info(line, 'mail sent before: not sent again');
  if (result.outcome === 'rejected') return log.warn(line, 'mail refused for good by the server for this recipient');
  log.info(line, 'mail sent');
}
