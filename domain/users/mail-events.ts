import { z } from 'zod';
import { id } from '../schemas.js';
import { email } from './inputs.js';

/** Payloads of the user events that lead to mail (the events' data, as the outbox carries them). */
export const userRegistered = z.object({ userId: id, email: z.string(), name: z.string() });
/** POST /api/auth/password-reset for an existing account. */
export const passwordResetRequested = z.object({ userId: id });
/** POST /api/auth/verify-email/resend. */
export const verificationRequested = z.object({ userId: id, email: z.string() });
/** PATCH /api/users/me with a new email: a verification to the new address, a notice to the old. */
export const emailChanged = z.object({ userId: id, email: z.string(), previousEmail: z.string() });

/** Bodies of the recovery routes. */
export const resetRequest = z.strictObject({ email }).meta({ examples: [{ email: 'ann@example.com' }] });
const token = z.string().min(20).max(200);
export const resetConfirmation = z
  .strictObject({ token, password: z.string().min(1).max(128) })
  .meta({ examples: [{ token: 'the token of the link in the mail', password: 'a new long passphrase' }] });
export const verification = z.strictObject({ token });
/** Every answer of a mail request: the same whether the account exists or not. */
export const mailRequested = z.object({ message: z.string() });
