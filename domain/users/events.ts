import { z } from 'zod';
import { id } from '../schemas.js';

/**
 * The events of accounts: name → the schema of its `data`, with what it means and the functions
 * that emit it. To add an event, add its line here (domain/events.ts merges every area's), then
 * emit it with `event('user.…', data, meta)`; the docs and the API reference follow from it.
 */
export const userEvents = {
  'user.registered': z
    .object({
      userId: id,
      email: z.string().meta({ description: 'The e-mail address it logs in with', examples: ['ada@example.com'] }),
      name: z.string().meta({ description: 'The name it gave', examples: ['Ada Lovelace'] }),
    })
    .meta({ description: 'A new account', producers: ['register'] }),
  'user.deleted': z.object({ userId: id }).meta({ description: 'An account was deleted, by its owner or an admin', producers: ['delete-me', 'delete-user'] }),
  'user.password_changed': z
    .object({ userId: id })
    .meta({ description: 'A new password; the other sessions ended at once', producers: ['update-me', 'confirm-password-reset'] }),
  'user.password_reset_requested': z
    .object({ userId: id })
    .meta({ description: 'A password reset was asked for an existing account: the mail carries a single-use link', producers: ['request-password-reset'] }),
  'user.verification_requested': z
    .object({ userId: id, email: z.string() })
    .meta({ description: 'A new verification link was asked for an address not yet verified', producers: ['resend-verification'] }),
  'user.email_changed': z
    .object({ userId: id, email: z.string(), previousEmail: z.string() })
    .meta({ description: 'A new email, not yet verified: a verification link to it, a notice to the previous one', producers: ['update-me'] }),
};
