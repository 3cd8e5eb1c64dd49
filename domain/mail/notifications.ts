import type { Clock } from '../ports.js';
import type { OrderRepository } from '../orders/order.js';
import { newTokenValue, tokenHash, type OneTimeTokenStore, type TokenPurpose } from '../users/one-time-tokens.js';
import type { UserRepository } from '../users/user.js';
import type { Mailing } from './mailing.js';
import * as messages from './messages.js';

export const RESET_TOKEN_MINUTES = 30;
export const VERIFY_TOKEN_HOURS = 24;

export interface NotificationsDeps {
  users: UserRepository;
  orders: OrderRepository;
  tokens: OneTimeTokenStore;
  mailing: Mailing;
  clock: Clock;
  context: messages.MailContext;
  /** An absolute link into the shop (PUBLIC_URL): `link('/reset-password', {token})`. */
  link(path: string, query: Record<string, string>): string;
}

/** The event a mail answers: its id keys the sent-mail record and the Message-ID. */
export interface Cause {
  eventId: string;
}

const skipped = { outcome: 'skipped' as const };

/**
 * The mails the shop sends, each for one event. A user or an order that no longer exists (the
 * account was deleted since) gets no mail: the answer says `skipped`.
 */
export function createNotifications({ users, orders, tokens, mailing, clock, context, link }: NotificationsDeps) {
  /** A fresh token for the user; it ends their older ones of the same purpose. */
  async function token(purpose: TokenPurpose, userId: string, email: string, ttlMs: number) {
    const value = newTokenValue();
    const now = clock.now();
    await tokens.issue({ hash: tokenHash(value), purpose, userId, email, expiresAt: new Date(now.getTime() + ttlMs) }, now);
    return value;
  }
  const verifyLink = async (userId: string, email: string) =>
    link('/verify-email', { token: await token('verify-email', userId, email, VERIFY_TOKEN_HOURS * 3600_000) });

  /**
   * A token is made only when the mail is still to be sent: a redelivery of a sent one must not
   * end the token that mail carries.
   */
  const once = async (id: string, to: string, make: () => Promise<messages.Content>) =>
    (await mailing.sent(id)) ?? mailing.deliver(id, to, await make());

  return {
    /** user.registered: welcome, with the link that verifies the address. */
    async welcome({ eventId }: Cause, userId: string) {
      const user = await users.findById(userId);
      if (!user) return skipped;
      return once(eventId, user.email, async () =>
        messages.welcome(context, user.name, user.emailVerified ? undefined : await verifyLink(user.id, user.email)),
      );
    },

    /** user.verification_requested (resend) and the new address of user.email_changed. */
    async verification({ eventId }: Cause, userId: string, email: string) {
      const user = await users.findById(userId);
      if (!user || user.email !== email || user.emailVerified) return skipped;
      const id = `${eventId}:verify`;
      return once(id, email, async () => messages.verifyEmail(context, user.name, await verifyLink(user.id, email)));
    },

    /** user.email_changed: a notice to the address the account had before. */
    async emailChangedNotice({ eventId }: Cause, userId: string, previousEmail: string, email: string) {
      const user = await users.findById(userId);
      if (!user) return skipped;
      return mailing.deliver(`${eventId}:notice`, previousEmail, messages.emailChangedNotice(context, user.name, email));
    },

    /** user.password_reset_requested: the single-use link, valid RESET_TOKEN_MINUTES. */
    async passwordReset({ eventId }: Cause, userId: string) {
      const user = await users.findById(userId);
      if (!user) return skipped;
      return once(eventId, user.email, async () => {
        const value = await token('password-reset', user.id, user.email, RESET_TOKEN_MINUTES * 60_000);
        return messages.passwordReset(context, user.name, link('/reset-password', { token: value }), RESET_TOKEN_MINUTES);
      });
    },

    /** order.placed, .confirmed, .cancelled, and shipped / delivered (order.status_changed). */
    async order({ eventId }: Cause, kind: messages.OrderMailKind, orderId: string, reason?: string) {
      const order = await orders.findById(orderId);
      const user = order && (await users.findById(order.userId));
      if (!order || !user) return skipped;
      const content = messages.orderMail(context, kind, user.name, order, reason ?? order.cancelReason);
      return mailing.deliver(eventId, user.email, content);
    },

    /** cart.abandoned: a reminder, only to a customer who opted in (checked again now). */
    async cartReminder({ eventId }: Cause, userId: string, items: { name: string; quantity: number; by?: 'weight' }[]) {
      const user = await users.findById(userId);
      if (!user?.marketingEmails) return skipped;
      return mailing.deliver(eventId, user.email, messages.cartReminder(context, user.name, items, link('/cart', {})));
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
