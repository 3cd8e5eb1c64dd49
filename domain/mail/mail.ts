/** The mail port: what the shop sends, and what a mailer answers. */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Derived from the event that caused the mail, so a mail sent twice can be recognised as one. */
  messageId: string;
}

/**
 * `sent`, or `rejected` for good (the server refused this recipient with a 5xx: sending again
 * would never help). Any other failure (server down, a 4xx, a 5xx for the whole message) throws:
 * it may pass, so the caller fails and its event is delivered again later.
 */
export type SendOutcome = { outcome: 'sent' } | { outcome: 'rejected'; reason: string };

export interface Mailer {
  send(message: MailMessage): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** A failure that may pass (server down, 4xx, a 5xx for the whole message). */
export class MailUnavailableError extends Error {
  constructor(reason: string) {
    super(`The mail server did not take the message: ${reason}`);
    this.name = 'MailUnavailableError';
  }
}
