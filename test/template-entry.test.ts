import { fork } from 'node:child_process';
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { call } from './helpers/shop.js';

/** The template entry as of-watchdog runs it: one function, mounted at `/`, on upstream_url's port. */
t.test('template entry serves one function and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-entry-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The signing key arrives as an OpenFaaS secret file, as in production.
  const secrets = join(dir, 'secrets');
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  mkdirSync(secrets);
  writeFileSync(join(secrets, 'jwt-private-key'), pem);

  const child = fork(resolve('templates/shop-node20/entry.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      FUNCTION_NAME: 'register',
      FUNCTION_MODULE: resolve('functions/register/index.ts'),
      upstream_url: 'http://127.0.0.1:0',
      exec_timeout: '5s',
      DATA_DIR: join(dir, 'data'),
      SECRETS_DIR: secrets,
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  const base = `http://127.0.0.1:${ready.port}`;

  const created = await call(base, 'POST', '/', { body: { email: 'entry@example.com', password: 'long enough 1', name: 'Entry' } });
  t.equal(created.status, 201);
  t.equal(created.body.user.email, 'entry@example.com');
  t.ok(created.headers.get('x-call-id'));
  t.equal((await call(base, 'GET', '/')).status, 405, 'the function answers its own method only');
  t.equal((await call(base, 'POST', '/extra/path', { body: {} })).status, 404, 'register takes no path parameters');
  t.equal((await call(base, 'POST', '/', { body: {} })).status, 400);

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  t.equal(code, 0, 'exits cleanly after closing its connections');
});
