import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { buildFunction, copiedPaths, shippedCommand, shippedWithout } from '../scripts/build-function.js';
import { call } from './helpers/shop.js';
import { freshPostgres, postgresUrl, redisUrl } from './helpers/targets.js';

/**
 * What the template's Dockerfile does, without Docker (scripts/build-function.ts): compile a
 * function from a faas-cli build context, then run the compiled entry from the shipped layout.
 */
const root = resolve('.');

t.test('a function compiles from a faas-cli build context and runs from the shipped layout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-build-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.ok(copiedPaths().includes('./platform'), 'stack.yml copies the shared code into every build context');

  // The ship stage's node_modules: every package of ours but those the Dockerfile deletes, so a
  // function that loads one of them (tsx, PGlite, …) fails here as it would in its image. A
  // function container always gets a database URL (PGlite is left out), so that needs PostgreSQL.
  const dropped = postgresUrl && redisUrl ? shippedWithout() : [];
  if (dropped.length) t.ok(dropped.includes('tsx') && dropped.includes('@electric-sql/pglite'), `the image leaves out ${dropped.join(', ')}`);
  else t.comment('!!! PostgreSQL + Redis not set: the function runs with every dependency, not the image\'s trimmed set !!!');
  const services: Record<string, string> = {};
  if (dropped.length) {
    const schema = await freshPostgres(postgresUrl!);
    t.teardown(schema.cleanup);
    Object.assign(services, { DATABASE_URL: schema.url, REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: `build-${process.pid}:` });
  }
  const ship = await buildFunction(join(root, 'functions/get-me'), dir, dropped);

  // As the image starts it: `node <its options> entry.js`.
  const command = shippedCommand();
  t.equal(command.at(-1), 'entry.js');
  const child = fork(join(ship, command.at(-1)!), [], {
    cwd: ship,
    execArgv: command.slice(1, -1),
    env: { PATH: process.env.PATH, upstream_url: 'http://127.0.0.1:0', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', SECRETS_DIR: join(dir, 'none'), ...services },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  const answer = await call(`http://127.0.0.1:${ready.port}`, 'GET', '/');
  t.equal(answer.status, 401, 'get-me, compiled, asks for a token');
  t.equal(answer.body.error.code, 'UNAUTHENTICATED');
  child.kill('SIGTERM');
  t.equal((await once(child, 'exit'))[0], 0);
});
