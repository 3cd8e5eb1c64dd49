import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Accounts } from '#domain/users/accounts.js';
import type { UserRepository } from '#domain/users/user.js';
import type { Config } from './config.js';

/**
 * The shop's first admin, in one place. `ADMIN_EMAIL` and `ADMIN_PASSWORD` (secrets) make it at
 * every start that has them (an existing account is never changed); without them, the local
 * runtime says how to become admin, and on embedded defaults makes one itself.
 */

/** Where the embedded shop's first admin comes from when nobody configured one. */
export const EMBEDDED_ADMIN = 'admin@shop.local';

/** ADMIN_EMAIL and ADMIN_PASSWORD, when both are set: a password the policy refuses throws. */
export async function configuredAdmin(accounts: Accounts, config: Config, log: FastifyBaseLogger) {
  if (!config.adminEmail || !config.adminPassword) return;
  const outcome = await accounts.ensureAdmin(config.adminEmail, config.adminPassword);
  if (outcome === 'not-admin') log.warn({ email: config.adminEmail }, 'ADMIN_EMAIL belongs to a customer account; left unchanged');
  if (outcome === 'created') log.info({ email: config.adminEmail }, 'created the first admin');
}

/**
 * A shop nobody can administer says how to become admin. On embedded defaults it makes the first
 * admin with a random password, shown in this log once; with real services no default password
 * ever exists: the log names the command that makes one.
 */
export async function embeddedAdmin(
  { accounts, users, config }: { accounts: Accounts; users: UserRepository; config: Config },
  log: FastifyBaseLogger,
) {
  if (await users.countAdmins()) return;
  if (config.databaseUrl) {
    log.warn('no admin account yet: run `npm run create-admin -- you@example.com`, or set ADMIN_EMAIL and ADMIN_PASSWORD');
    return;
  }
  const password = randomBytes(12).toString('base64url');
  await accounts.ensureAdmin(EMBEDDED_ADMIN, password);
  log.warn(
    `created the first admin ${EMBEDDED_ADMIN} with the one-time password ${password} ` +
      '(shown once, embedded defaults only): log in, then change it with PATCH /api/users/me',
  );
}
