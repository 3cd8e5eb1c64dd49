/**
 * `npm run create-admin -- <email> [--password <password>]`: makes an admin account, or makes an
 * existing account an admin. Without --password a new account gets a random one, printed once.
 * On embedded defaults PGlite serves one process: stop npm start first.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { configOrExit } from '#platform/config.js';
import { buildDeps } from '#platform/deps.js';

const [email, ...rest] = process.argv.slice(2);
const at = rest.indexOf('--password');
const given = at < 0 ? undefined : rest[at + 1];
if (!email || !email.includes('@') || (at >= 0 && !given)) {
  console.error('usage: npm run create-admin -- <email> [--password <password>]');
  process.exit(1);
}

const config = configOrExit('create-admin');
let deps;
try {
  deps = await buildDeps(config, pino({ level: 'warn' }));
} catch (error) {
  console.error(`create-admin: ${(error as Error).message}`);
  process.exit(1);
}
try {
  const user = await deps.store.users.findByEmail(email);
  if (user?.role === 'admin') {
    console.log(`${user.email} is an admin already.`);
  } else if (user) {
    await deps.accounts.updateUser('command-line', user.id, { role: 'admin' });
    console.log(`${user.email} is an admin now (their current sessions end: they log in again).`);
  } else {
    const password = given ?? randomBytes(12).toString('base64url');
    await deps.accounts.ensureAdmin(email, password);
    console.log(`Created the admin ${email}${given ? '' : ` with the password ${password} (shown once; change it with PATCH /api/users/me)`}.`);
  }
} catch (error) {
  console.error(`create-admin: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await deps.close();
}
