import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

  // The image fills Node's compile cache at build time (`node warm.js` with NODE_COMPILE_CACHE).
  const cache = join(dir, 'compile-cache');
  const warm = fork(join(ship, 'warm.js'), [], { cwd: ship, execArgv: [], env: { PATH: process.env.PATH, NODE_COMPILE_CACHE: cache }, stdio: 'inherit' });
  t.equal((await once(warm, 'exit'))[0], 0, 'warm.js loads what the function loads and exits');
  t.ok(readdirSync(cache, { recursive: true }).length > 100, 'the compile cache is filled');

  // As the image starts it: `node <its options> entry.js`, reading that cache. Node's debug lines
  // tell which modules it compiled itself ("was not initialized") and which came from the cache.
  const command = shippedCommand();
  t.equal(command.at(-1), 'entry.js');
  const child = fork(join(ship, command.at(-1)!), [], {
    cwd: ship,
    execArgv: command.slice(1, -1),
    env: {
      PATH: process.env.PATH,
      upstream_url: 'http://127.0.0.1:0',
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'silent',
      SECRETS_DIR: join(dir, 'none'),
      NODE_COMPILE_CACHE: cache,
      NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
      ...services,
    },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let debug = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (debug += chunk));
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  const answer = await call(`http://127.0.0.1:${ready.port}`, 'GET', '/');
  t.equal(answer.status, 401, 'get-me, compiled, asks for a token');
  t.equal(answer.body.error.code, 'UNAUTHENTICATED');
  child.kill('SIGTERM');
  t.equal((await once(child, 'exit'))[0], 0);

  const lines = debug.split('\n');
  const accepted = lines.filter((line) => line.includes('was accepted'));
  const compiled = lines.filter((line) => line.includes('was not initialized') && !line.includes('/entry.js '));
  t.ok(accepted.some((line) => line.includes('/node_modules/fastify/')), 'fastify comes from the cache');
  t.ok(accepted.some((line) => line.includes('/platform/deps.js')), "the shop's compiled code comes from the cache");
  // On embedded stores (no PostgreSQL + Redis here) it loads PGlite, which the image lacks.
  if (dropped.length) t.same(compiled, [], 'the entry compiles nothing but itself (warm.ts loads what it loads)');
  const rest = lines.filter((line) => line && !line.startsWith('[compile cache]'));
  t.same(rest, [], 'nothing else on stderr');
});
