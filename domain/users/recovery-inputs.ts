import { z } from 'zod';
import { email } from './inputs.js';

/** Bodies of the recovery routes. */
export const resetRequest = z.strictObject({ email }).meta({ examples: [{ email: 'ann@example.com' }] });
const token = z.string().min(20).max(200);
export const resetConfirmation = z
  .strictObject({ token, password: z.string().min(1).max(128) })
  .meta({ examples: [{ token: 'the token of the link in the mail', password: 'a new long passphrase' }] });
export const verification = z.strictObject({ token });
/** Every answer of a mail request: the same whether the account exists or not. */
export const mailRequested = z.object({ message: z.string() });
