import { z } from 'zod';
import { email } from './inputs.js';

/** Bodies of the recovery routes. */
export const resetRequest = z.strictObject({ email }).meta({ examples: [{ email: 'ann@example.com' }] });
const token = z.string().min(20).max(200).meta({ description: 'The token of the link in the mail (its `token` query parameter)' });
export const resetConfirmation = z
  .strictObject({
    token,
    password: z.string().min(1).max(128).meta({ description: 'The new password; the password policy applies (a refused one leaves the link working)' }),
  })
  .meta({ examples: [{ token: 'the token of the link in the mail', password: 'a new long passphrase' }] });
export const verification = z.strictObject({ token });
/** Every answer of a mail request: the same whether the account exists or not. */
export const mailRequested = z.object({
  message: z.string().meta({ description: 'What happens next, in words: the same whether the account exists or not' }),
});
