import { fork } from 'node:child_process';
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { rawHttp } from './helpers/raw-http.js';
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

  const child = fork(resolve('templates/shop-node26/entry.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      FUNCTION_NAME: 'register',
      FUNCTION_MODULE: resolve('functions/register/index.ts'),
      upstream_url: 'http://127.0.0.1:0',
      exec_timeout: '2s',
      KEEP_ALIVE_TIMEOUT: '1s',
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
  const options = await call(base, 'OPTIONS', '/');
  t.equal(options.status, 405);
  t.equal(options.headers.get('allow'), 'POST');

  // What node's HTTP parser refuses is answered in the error shape too.
  const garbage = await rawHttp(base, 'HELLO THERE\r\n\r\n');
  t.equal(garbage.status, 400);
  t.match(garbage.body, { error: { code: 'BAD_REQUEST', message: String } });
  const bigHeader = await rawHttp(base, `POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  t.equal(bigHeader.status, 431);
  t.match(bigHeader.body, { error: { code: 'HEADERS_TOO_LARGE', message: String } });
  // A body may take as long to arrive as the function may run (exec_timeout), then 408.
  const slowBody = await rawHttp(base, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":');
  t.equal(slowBody.status, 408);
  t.match(slowBody.body, { error: { code: 'REQUEST_TIMEOUT', message: String } });
  const idle = await rawHttp(base, 'OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n');
  t.equal(idle.status, 405, 'answered, then the idle keep-alive connection is closed');

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  t.equal(code, 0, 'exits cleanly after closing its connections');
});

t.test('a function container without INTERNAL_TOKEN refuses every internal call', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-entry-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const child = fork(resolve('templates/shop-node26/entry.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      FUNCTION_NAME: 'forget-user',
      FUNCTION_MODULE: resolve('functions/forget-user/index.ts'),
      upstream_url: 'http://127.0.0.1:0',
      DATA_DIR: join(dir, 'data'),
      SECRETS_DIR: join(dir, 'no-secrets'),
      DATABASE_URL: '',
      REDIS_URL: '',
      INTERNAL_TOKEN: '',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  const event = { id: 'e1', type: 'user.deleted', occurredAt: new Date().toISOString(), data: { userId: 'u1' } };
  for (const token of ['', 'anything', 'undefined']) {
    const answer = await call(`http://127.0.0.1:${ready.port}`, 'POST', '/', { body: event, headers: { 'x-internal-token': token } });
    t.equal(answer.status, 403, `token "${token}"`);
  }
  child.kill('SIGTERM');
  await once(child, 'exit');
});

/** `faas-cli new --lang shop-node26 my-fn` copies templates/shop-node26/function/ to ./my-fn. */
t.test('the function folder faas-cli new makes works as it is', async (t) => {
  const folder = resolve('templates/shop-node26/function');
  // faas-cli build lays each handler over this folder: anything beside index.ts would ship in every image.
  t.same(readdirSync(folder), ['index.ts'], 'the template ships an index.ts only');
  const dir = mkdtempSync(join(tmpdir(), 'shop-new-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const child = fork(resolve('templates/shop-node26/entry.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FUNCTION_NAME: 'my-fn', FUNCTION_MODULE: join(folder, 'index.ts'), upstream_url: 'http://127.0.0.1:0', DATA_DIR: join(dir, 'data'), SECRETS_DIR: join(dir, 'none'), DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  const answer = await call(`http://127.0.0.1:${ready.port}`, 'GET', '/?name=Ann');
  t.equal(answer.status, 200);
  t.same(answer.body, { hello: 'Ann' });
  child.kill('SIGTERM');
  t.equal((await once(child, 'exit'))[0], 0);
});
