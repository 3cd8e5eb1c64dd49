import t from 'tap';
import { loadConfig } from '#platform/config.js';
import { createGateway } from '../runtime/gateway.js';
import { loadStack } from '../runtime/stack.js';
import { targets } from './helpers/targets.js';

/** The first admin from ADMIN_EMAIL and ADMIN_PASSWORD (platform/first-admin.ts); on embedded defaults, see first-run.test.ts. */

t.test('a first admin password that breaks the policy stops start-up, saying why', async (t) => {
  // PostgreSQL when it is there: it starts in a moment, where PGlite takes seconds.
  const target = targets.find((each) => each.name.startsWith('PostgreSQL')) ?? targets[0];
  const { env, cleanup } = await target.env();
  t.teardown(cleanup);
  for (const [password, why] of [
    ['password123', /ADMIN_PASSWORD.*most common passwords/],
    ['short', /ADMIN_PASSWORD.*at least 10 characters/],
    ['admin@shop.test', /ADMIN_PASSWORD.*email/],
  ] as const) {
    const config = loadConfig({ ...process.env, ...env, SECRETS_DIR: '/nonexistent', ADMIN_EMAIL: 'admin@shop.test', ADMIN_PASSWORD: password });
    await t.rejects(createGateway({ stack: loadStack('stack.yml'), config }), why);
  }
});
