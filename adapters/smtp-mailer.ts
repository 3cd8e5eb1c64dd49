import nodemailer from 'nodemailer';
import { MailUnavailableError, type Mailer } from '#domain/mail/mail.js';

interface SmtpError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * Mail through an SMTP server (nodemailer), one connection per message. A 5xx for the recipient
 * alone (nodemailer's EENVELOPE: the server refused the address) is final; everything else (no
 * connection, a timeout, a 4xx, a 5xx for the whole message) may pass and throws
 * MailUnavailableError. Timeouts stay well below the connector's 30 s per call.
 */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 15_000,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({ from, ...message });
        return { outcome: 'sent' };
      } catch (error) {
        const e = error as SmtpError;
        const recipientRefused = e.code === 'EENVELOPE' && e.command === 'RCPT TO' && (e.responseCode ?? 0) >= 500;
        if (recipientRefused) return { outcome: 'rejected', reason: e.response ?? e.message ?? 'refused' };
        throw new MailUnavailableError(e.response ?? e.message ?? String(error));
      }
    },
    async close() {
      transport.close();
    },
  };
}
