import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './password-policy.js';

/** Input shapes shared by the user functions. Bodies reject unknown fields (strictObject). */
export const email = z.email().max(254).meta({ description: 'The email address, which is also the login', examples: ['ann@example.com'] });
/** A new password; the common-password and email rules need more than a schema (password-policy.ts). */
export const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(128)
  .meta({
    description: `A new password: ${MIN_PASSWORD_LENGTH} to 128 characters, not the email, not a common password, not only the words of an example or the shop's name`,
    examples: ['correct horse battery'],
  });
export const name = z.string().trim().min(1).max(100).meta({ description: 'The name shown on the account and orders', examples: ['Ann'] });
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{3,22}$/, 'a phone number such as +1 555 123 4567')
  .meta({ description: 'A phone number for the delivery', examples: ['+1 555 123 4567'] });
const currentPassword = z.string().min(1).max(128).meta({ description: 'The password the account has now' });

export const registration = z
  .strictObject({ email, password, name, phone: phone.optional() })
  .meta({ examples: [{ email: 'ann@example.com', password: 'correct horse battery', name: 'Ann' }] });
export const credentials = z
  .strictObject({ email, password: z.string().min(1).max(128).meta({ description: "The account's password" }) })
  .meta({ examples: [{ email: 'ann@example.com', password: 'correct horse battery' }] });
export const refreshTokenBody = z.strictObject({
  refreshToken: z.string().min(1).max(512).meta({ description: 'The refreshToken of the last login or refresh (single use)' }),
});

export const profileChange = z
  .strictObject({
    name: name.optional(),
    phone: phone.nullable().optional().meta({ description: 'A phone number; null removes it' }),
    password: password.optional(),
    currentPassword: currentPassword.optional().meta({ description: 'The password the account has now; needed with a new password or email' }),
    email: email.optional().meta({ description: 'A new email (needs currentPassword): unverified until the link mailed to it is opened' }),
    marketingEmails: z.boolean().optional().meta({ description: 'Offers and reminders by mail, such as the abandoned-cart reminder' }),
  })
  .refine((b) => (!b.password && !b.email) || b.currentPassword, {
    message: 'a new password or email needs currentPassword',
    path: ['currentPassword'],
  });

export const accountDeletion = z.strictObject({ currentPassword });

export const adminUserChange = z.strictObject({
  role: z.enum(['customer', 'admin']).optional().meta({ description: 'customer, or admin (an admin manages users, the catalog and orders)' }),
  name: name.optional(),
  phone: phone.nullable().optional().meta({ description: 'A phone number; null removes it' }),
});

export const newAddress = z.strictObject({
  label: z.string().trim().min(1).max(50).optional().meta({ description: 'A name for it, such as Home', examples: ['Home'] }),
  street: z.string().trim().min(1).max(200).meta({ description: 'Street and number', examples: ['1 Main St'] }),
  city: z.string().trim().min(1).max(100).meta({ description: 'City or town', examples: ['Springfield'] }),
  postalCode: z.string().trim().min(1).max(20).meta({ description: 'Postal or ZIP code', examples: ['12345'] }),
  country: z.string().trim().min(2).max(60).meta({ description: 'Country, as a name or an ISO code', examples: ['US'] }),
});

export type Registration = z.infer<typeof registration>;
export type Credentials = z.infer<typeof credentials>;
export type ProfileChange = z.infer<typeof profileChange>;
export type AdminUserChange = z.infer<typeof adminUserChange>;
export type NewAddress = z.infer<typeof newAddress>;
