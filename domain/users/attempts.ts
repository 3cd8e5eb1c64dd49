import { DomainError } from '../errors.js';
import type { KeyValueStore } from '../ports.js';

/** Counts per window (seconds). */
export interface AttemptLimits {
  window: number;
  /** Password checks for one email from one client IP: the tight limit a guesser meets. */
  maxPerEmailAndIp: number;
  /**
   * Wrong passwords for one email from anywhere: a looser ceiling against guessing from many
   * addresses. It is kept well above the per-IP limit, so someone elsewhere cannot lock the
   * owner out with a handful of wrong passwords; one who makes this many still delays the
   * owner until the window ends (the price of a ceiling per account, README "Security").
   */
  maxPerEmail: number;
  /** Password checks from one client IP, whatever the email (spraying one password over many accounts). */
  maxPerIp: number;
  /** Registrations from one client IP (each one costs an argon2 hash). */
  registerMaxPerIp: number;
  /** Password-reset and verification mails asked for one email (or account), and from one client IP. */
  resetMaxPerEmail: number;
  resetMaxPerIp: number;
}

const key = {
  emailAndIp: (email: string, ip: string) => `auth:attempts:email-ip:${ip}|${email.toLowerCase()}`,
  email: (email: string) => `auth:attempts:email:${email.toLowerCase()}`,
  ip: (ip: string) => `auth:attempts:ip:${ip}`,
  register: (ip: string) => `auth:attempts:register:${ip}`,
  mailEmail: (email: string) => `auth:attempts:mail-email:${email.toLowerCase()}`,
  mailIp: (ip: string) => `auth:attempts:mail-ip:${ip}`,
};

/**
 * Limits on what costs a password hash or verification: login, a password change, registration.
 * Every attempt counts before its password is verified, also once refused: the counters are
 * atomic increments, so a burst of guesses at once gets no more through than guesses one by
 * one (a check of the count first and an increment after a failure would let the whole burst
 * pass). The right password then takes its own count back off the account: only failures stay.
 * A refusal says in Retry-After when the last of the windows it hit ends, not how long a window is.
 */
export function createAttempts(kv: KeyValueStore, limits: AttemptLimits) {
  async function count(counters: [key: string, max: number][], message: string) {
    const counts = await Promise.all(counters.map(([k]) => kv.increment(k, limits.window)));
    const over = counters.filter(([, max], i) => counts[i] > max).map(([k]) => k);
    if (!over.length) return;
    const left = await Promise.all(over.map((k) => kv.ttl(k)));
    const retryAfterSeconds = Math.max(1, ...left.map((seconds) => Math.ceil(seconds ?? limits.window)));
    throw new DomainError('RATE_LIMITED', message, { retryAfterSeconds });
  }

  return {
    /** Before a password is verified; throws RATE_LIMITED when a limit is reached. */
    passwordCheck: (email: string, ip: string) =>
      count(
        [
          [key.emailAndIp(email, ip), limits.maxPerEmailAndIp],
          [key.email(email), limits.maxPerEmail],
          [key.ip(ip), limits.maxPerIp],
        ],
        'Too many password attempts; try again later',
      ),

    /**
     * The right password resets the account's counts (this client's and the one from anywhere):
     * the owner's own logins never bring the account nearer its ceiling. A guesser elsewhere
     * gains a fresh allowance only from a login of the owner, at most once per login.
     * The per-IP count stays: resetting it would let a sprayer clear it with an account of their own.
     */
    async passwordAccepted(email: string, ip: string) {
      await Promise.all([kv.delete(key.emailAndIp(email, ip)), kv.delete(key.email(email))]);
    },

    /**
     * Before a password-reset or verification mail is asked for: per email (known or not, so
     * the answer says nothing about which exist) and per client IP.
     */
    mailRequest: (email: string, ip: string) =>
      count(
        [
          [key.mailEmail(email), limits.resetMaxPerEmail],
          [key.mailIp(ip), limits.resetMaxPerIp],
        ],
        'Too many mails asked for; try again later',
      ),

    /** Before an account is created. */
    registration: (ip: string) =>
      count([[key.register(ip), limits.registerMaxPerIp]], 'Too many registrations from this address; try again later'),
  };
}

export type Attempts = ReturnType<typeof createAttempts>;
