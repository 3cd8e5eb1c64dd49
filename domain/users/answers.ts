import { z } from 'zod';
import { id, page, timestamp } from '../schemas.js';

/** What the user functions answer: the API's shapes, documented and serialised from here. */
export const address = z.object({
  id,
  label: z.string().optional(),
  street: z.string(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
});

export const user = z
  .object({
    id,
    email: z.string(),
    name: z.string(),
    phone: z.string().optional(),
    role: z.enum(['customer', 'admin']),
    addresses: z.array(address),
    emailVerified: z.boolean().meta({ description: 'Set by the link of the verification mail; a changed email is unverified again' }),
    marketingEmails: z.boolean().meta({ description: 'Opted in to marketing mail such as the abandoned-cart reminder (off by default)' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ description: 'A user; no password hash ever leaves the store.' });

export const userAnswer = z.object({ user });
export const usersPage = page(user);

export const session = z.object({
  accessToken: z.string().meta({ description: 'A JWT (EdDSA) for `Authorization: Bearer …`, valid `expiresIn` seconds' }),
  refreshToken: z.string().meta({ description: 'Single use: POST it to /api/auth/refresh for a new pair' }),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  user,
});
