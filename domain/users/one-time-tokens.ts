import { createHash, randomBytes } from 'node:crypto';

/** What a one-time token is for: a password reset, or the proof that an email address is the user's. */
export type TokenPurpose = 'password-reset' | 'verify-email';

/** A token as stored: its SHA-256 only, so a stolen copy of the store opens nothing. */
export interface OneTimeToken {
  hash: string;
  purpose: TokenPurpose;
  userId: string;
  /** The address the token was sent to (a verification proves this one, not a later one). */
  email: string;
  expiresAt: Date;
}

/**
 * Storage of one-time tokens. Every rule is one conditional write in the store: of a hundred
 * confirmations with one token at once, exactly one uses it.
 */
export interface OneTimeTokenStore {
  /** Stores a new token and ends the user's older unused tokens of the same purpose, in one step. */
  issue(token: OneTimeToken, now: Date): Promise<void>;
  /** The live token (unused, unexpired at `now`) with this hash, or null; it stays usable. */
  find(purpose: TokenPurpose, hash: string, now: Date): Promise<OneTimeToken | null>;
  /** Uses the live token with this hash: one caller gets it, every other (and every later one) null. */
  consume(purpose: TokenPurpose, hash: string, now: Date): Promise<OneTimeToken | null>;
  /** Deletes tokens used or expired before `before`; answers how many. */
  prune(before: Date): Promise<number>;
}

/** 32 random bytes (256 bits), URL-safe: what goes into the link. */
export const newTokenValue = () => randomBytes(32).toString('base64url');
export const tokenHash = (value: string) => createHash('sha256').update(value).digest('base64url');
