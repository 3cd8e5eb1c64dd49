import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t, { type Test } from 'tap';
import { call } from './helpers/shop.js';

/**
 * Per-function wiring (platform/deps.ts): a function's process builds the services its handler
 * uses and loads the adapters behind them on first use, so a catalog read never loads the
 * password hasher, the token library, the cart store or anything of the message bus.
 */
async function modulesLoadedBy(t: Test, name: string, calls: Array<[string, string]>) {
  const dir = mkdtempSync(join(tmpdir(), 'shop-wiring-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const record = join(dir, 'modules.txt');
  const child = fork(resolve('templates/shop-node26/entry.ts'), [], {
    execArgv: ['--import', 'tsx', '--import', resolve('test/helpers/record-modules.ts')],
    env: {
      ...process.env,
      FUNCTION_NAME: name,
      FUNCTION_MODULE: resolve(`functions/${name}/index.ts`),
      upstream_url: 'http://127.0.0.1:0',
      DATA_DIR: join(dir, 'data'),
      SECRETS_DIR: join(dir, 'none'),
      DATABASE_URL: '',
      REDIS_URL: '',
      AMQP_URL: '',
      LOG_LEVEL: 'silent',
      RECORD_MODULES: record,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  const statuses = [];
  for (const [method, path] of calls) statuses.push((await call(`http://127.0.0.1:${ready.port}`, method, path)).status);
  child.kill('SIGTERM');
  t.equal((await once(child, 'exit'))[0], 0, `${name} stops cleanly`);
  return { statuses, modules: readFileSync(record, 'utf8').split('\n') };
}

const loads = (modules: string[], part: string) => modules.some((url) => url.includes(part));

t.test('a catalog read loads neither the password hasher, the tokens, the cart store nor the bus', async (t) => {
  const { statuses, modules } = await modulesLoadedBy(t, 'get-product', [['GET', '/0123456789abcdef01234567']]);
  t.same(statuses, [404], 'it answers: no such product');
  t.ok(loads(modules, '/domain/catalog/catalog.'), 'the recording sees the catalog it uses');
  t.ok(loads(modules, '/node_modules/@electric-sql/pglite/'), 'and its store');
  for (const part of [
    '/node_modules/@node-rs/argon2',
    '/adapters/argon2-passwords.',
    '/node_modules/jose/',
    '/adapters/jose-tokens.',
    '/adapters/memory-cart.',
    '/adapters/redis-cart.',
    '/node_modules/amqplib/',
    '/node_modules/amqp-connection-manager/',
    '/adapters/rabbitmq-bus.',
    '/adapters/memory-bus.',
    '/domain/bus.',
    '/node_modules/@zxcvbn-ts/',
    '/node_modules/@fastify/multipart/',
    '/adapters/local-images.',
  ]) {
    t.notOk(loads(modules, part), `${part} is not loaded`);
  }
});

t.test('a customer function refused for want of a token loads neither the tokens nor the cart store', async (t) => {
  const { statuses, modules } = await modulesLoadedBy(t, 'get-cart', [['GET', '/']]);
  t.same(statuses, [401], 'no token: refused');
  t.notOk(loads(modules, '/node_modules/jose/'), 'no token came: jose was never needed');
  t.notOk(loads(modules, '/adapters/memory-cart.'), 'nor the cart store');
});
