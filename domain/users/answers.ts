import { z } from 'zod';
import { id, page, timestamp } from '../schemas.js';
import { newAddress } from './inputs.js';

/** What the user functions answer: the API's shapes, documented and serialised from here. */
const { label, street, city, postalCode, country } = newAddress.shape;
export const address = z.object({
  id: id.meta({ description: "The address's id: addressId of POST /api/orders" }),
  label: z.string().optional().meta(label.meta()!),
  street: z.string().meta(street.meta()!),
  city: z.string().meta(city.meta()!),
  postalCode: z.string().meta(postalCode.meta()!),
  country: z.string().meta(country.meta()!),
});

export const user = z
  .object({
    id: id.meta({ description: "The user's id" }),
    email: z.string().meta({ description: 'The email address, which is also the login', examples: ['ann@example.com'] }),
    name: z.string().meta({ description: 'The name shown on the account and orders', examples: ['Ann'] }),
    phone: z.string().optional().meta({ description: 'A phone number for the delivery', examples: ['+1 555 123 4567'] }),
    role: z.enum(['customer', 'admin']).meta({ description: 'customer, or admin' }),
    addresses: z.array(address).meta({ description: 'Delivery addresses, 20 at most' }),
    emailVerified: z.boolean().meta({ description: 'Set by the link of the verification mail; a changed email is unverified again' }),
    marketingEmails: z.boolean().meta({ description: 'Opted in to marketing mail such as the abandoned-cart reminder (off by default)' }),
    createdAt: timestamp.meta({ description: 'When the account was made (ISO 8601, UTC)' }),
    updatedAt: timestamp.meta({ description: 'When it last changed (ISO 8601, UTC)' }),
  })
  .meta({ description: 'A user; no password hash ever leaves the store.' });

export const userAnswer = z.object({ user });
export const usersPage = page(user);

export const session = z.object({
  accessToken: z.string().meta({ description: 'A JWT (EdDSA) for `Authorization: Bearer …`, valid `expiresIn` seconds' }),
  refreshToken: z.string().meta({ description: 'Single use: POST it to /api/auth/refresh for a new pair' }),
  tokenType: z.literal('Bearer').meta({ description: 'How to send the access token: `Authorization: Bearer <accessToken>`' }),
  expiresIn: z.number().int().min(1).meta({ description: 'Seconds the access token is valid (ACCESS_TOKEN_TTL)', examples: [900] }),
  user,
});
