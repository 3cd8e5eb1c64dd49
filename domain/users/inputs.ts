import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './password-policy.js';

/** Input shapes shared by the user functions. Bodies reject unknown fields (strictObject). */
export const email = z.email().max(254);
/** A new password; the common-password and email rules need more than a schema (password-policy.ts). */
export const password = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(128);
export const name = z.string().trim().min(1).max(100);
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{3,22}$/, 'a phone number such as +1 555 123 4567');

export const registration = z
  .strictObject({ email, password, name, phone: phone.optional() })
  .meta({ examples: [{ email: 'ann@example.com', password: 'correct horse battery', name: 'Ann' }] });
export const credentials = z
  .strictObject({ email, password: z.string().min(1).max(128) })
  .meta({ examples: [{ email: 'ann@example.com', password: 'correct horse battery' }] });
export const refreshTokenBody = z.strictObject({ refreshToken: z.string().min(1).max(512) });

export const profileChange = z
  .strictObject({
    name: name.optional(),
    phone: phone.nullable().optional(),
    password: password.optional(),
    currentPassword: z.string().min(1).max(128).optional(),
    email: email.optional().meta({ description: 'A new email (needs currentPassword): unverified until the link mailed to it is opened' }),
    marketingEmails: z.boolean().optional().meta({ description: 'Offers and reminders by mail, such as the abandoned-cart reminder' }),
  })
  .refine((b) => (!b.password && !b.email) || b.currentPassword, {
    message: 'a new password or email needs currentPassword',
    path: ['currentPassword'],
  });

export const accountDeletion = z.strictObject({ currentPassword: z.string().min(1).max(128) });

export const adminUserChange = z.strictObject({
  role: z.enum(['customer', 'admin']).optional(),
  name: name.optional(),
  phone: phone.nullable().optional(),
});

export const newAddress = z.strictObject({
  label: z.string().trim().min(1).max(50).optional(),
  street: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().min(1).max(20),
  country: z.string().trim().min(2).max(60),
});

export type Registration = z.infer<typeof registration>;
export type Credentials = z.infer<typeof credentials>;
export type ProfileChange = z.infer<typeof profileChange>;
export type AdminUserChange = z.infer<typeof adminUserChange>;
export type NewAddress = z.infer<typeof newAddress>;
