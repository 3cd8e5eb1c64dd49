import { DomainError, notFound } from '../errors.js';
import type { EventFactory } from '../events.js';
import type { CallMeta, Clock, Outbox, PasswordHasher } from '../ports.js';
import type { Attempts } from './attempts.js';
import { tokenHash, type OneTimeTokenStore } from './one-time-tokens.js';
import { requireGoodPassword, type IsCommonPassword } from './password-policy.js';
import type { UserRepository } from './user.js';

export interface RecoveryDeps {
  users: UserRepository;
  tokens: OneTimeTokenStore;
  outbox: Outbox;
  passwords: PasswordHasher;
  clock: Clock;
  event: EventFactory;
  attempts: Attempts;
  isCommonPassword: IsCommonPassword;
  endSessions(userId: string): Promise<void>;
  /** The user's cached profile goes stale. */
  changed(userId: string): Promise<void>;
}

/**
 * A reset request answers no sooner than this, known email or not, so its time does not tell
 * whether an account exists (the known branch writes one outbox row: a few milliseconds).
 */
export const RESET_ANSWER_MS = 250;

export const RESET_REQUESTED = 'If an account has this email, a mail with a link to reset its password is on its way';
export const VERIFICATION_REQUESTED = 'If your email is not yet verified, a mail with a new link is on its way';

/** Waits `ms` (the global timer: the domain imports no I/O modules). */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const invalidToken = () => new DomainError('INVALID_TOKEN');

/** Password reset by mail, and email verification. */
export function createRecovery({ users, tokens, outbox, passwords, clock, event, attempts, isCommonPassword, endSessions, changed }: RecoveryDeps) {
  return {
    /** Always the same answer; the mail (send-password-reset-mail) carries the token. */
    async requestReset(email: string, { ip, ...meta }: CallMeta & { ip: string }) {
      const started = Date.now();
      try {
        await attempts.mailRequest(email, ip);
        const user = await users.findByEmail(email);
        if (user) await outbox.add([event('user.password_reset_requested', { userId: user.id }, meta)]);
      } finally {
        // A refusal (429) waits too: it is per email as well, and would otherwise answer faster.
        await sleep(Math.max(0, RESET_ANSWER_MS - (Date.now() - started)));
      }
      return { message: RESET_REQUESTED };
    },

    /**
     * The password is checked before the token is used, so a refused password leaves the link
     * working; the use itself is one conditional write: of concurrent confirmations one wins.
     */
    async confirmReset(token: string, password: string, meta: CallMeta) {
      const hash = tokenHash(token);
      const found = await tokens.find('password-reset', hash, clock.now());
      const user = found && (await users.findById(found.userId));
      if (!user) throw invalidToken();
      await requireGoodPassword(password, user.email, isCommonPassword);
      const passwordHash = await passwords.hash(password);
      if (!(await tokens.consume('password-reset', hash, clock.now()))) throw invalidToken();
      const updated = await users.update(user.id, { passwordHash, updatedAt: clock.now() }, [event('user.password_changed', { userId: user.id }, meta)]);
      if (!updated) throw invalidToken();
      await Promise.all([endSessions(user.id), attempts.passwordAccepted(user.email, ''), changed(user.id)]);
    },

    /** The link of a verification mail; it verifies the address it was sent to, if the account still has it. */
    async verifyEmail(token: string) {
      const used = await tokens.consume('verify-email', tokenHash(token), clock.now());
      if (!used || !(await users.markEmailVerified(used.userId, used.email, clock.now()))) throw invalidToken();
      await changed(used.userId);
    },

    /** A new verification mail, limited per account and client IP; nothing when already verified. */
    async resendVerification(userId: string, { ip, ...meta }: CallMeta & { ip: string }) {
      const user = await users.findById(userId);
      if (!user) throw notFound('User');
      await attempts.mailRequest(user.email, ip);
      if (!user.emailVerified) await outbox.add([event('user.verification_requested', { userId, email: user.email }, meta)]);
      return { message: VERIFICATION_REQUESTED };
    },

    /** place-order under REQUIRE_VERIFIED_EMAIL. */
    async requireVerified(userId: string) {
      if (!(await users.findById(userId))?.emailVerified) throw new DomainError('EMAIL_NOT_VERIFIED');
    },
  };
}

export type Recovery = ReturnType<typeof createRecovery>;
