import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { buildFunction, copiedPaths, shippedCommand, shippedEnv, shippedWithout } from '../scripts/build-function.js';
import { call } from './helpers/shop.js';
import { freshPostgres, postgresUrl, redisUrl } from './helpers/targets.js';

/**
 * What the template's Dockerfile does, without Docker (scripts/build-function.ts): compile a
 * function from a faas-cli build context, then run the compiled entry from the shipped layout.
 */
const root = resolve('.');

t.test('a function bundles from a faas-cli build context and runs from the shipped layout', async (t) => {
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

  // One bundle (templates/shop-node26/bundle.mjs), source maps beside it, and Node's compile
  // cache filled at build time (`node warm.js` with the image's NODE_COMPILE_CACHE).
  t.ok(existsSync(join(ship, 'entry.js')) && existsSync(join(ship, 'entry.js.map')), 'the entry and its source map');
  const chunks = readdirSync(join(ship, 'chunks'));
  t.ok(chunks.some((name) => name.endsWith('.js.map')), 'the chunks have their source maps');
  t.notOk(existsSync(join(ship, 'platform')) || existsSync(join(ship, 'warm.js')), 'no loose shared code, no build step left');
  const { NODE_COMPILE_CACHE: cache } = shippedEnv(ship);
  t.ok(readdirSync(cache, { recursive: true }).length > 5, 'the compile cache is filled');

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
      ...shippedEnv(ship),
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
  t.equal(answer.status, 401, 'get-me, bundled, asks for a token');
  t.equal(answer.body.error.code, 'UNAUTHENTICATED');
  child.kill('SIGTERM');
  t.equal((await once(child, 'exit'))[0], 0);

  const lines = debug.split('\n');
  const accepted = lines.filter((line) => line.includes('was accepted'));
  const compiled = lines.filter((line) => line.includes('was not initialized') && !line.includes('/entry.js '));
  t.ok(accepted.some((line) => line.includes('/chunks/')), 'the bundle comes from the cache');
  // On embedded stores (no PostgreSQL + Redis here) it loads PGlite, which the image lacks.
  if (dropped.length) {
    t.same(compiled, [], 'the entry compiles nothing but itself (warm.ts loads what it loads)');
    // (tap's process tracking, which it adds to every child, loads its own.)
    const packages = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies);
    const loaded = packages.filter((name) => lines.some((line) => line.includes(`/node_modules/${name}/`)));
    t.same(loaded, [], "a start loads none of the shop's packages from node_modules: they are in the bundle");
  }
  const rest = lines.filter((line) => line && !line.startsWith('[compile cache]'));
  t.same(rest, [], 'nothing else on stderr');
});
