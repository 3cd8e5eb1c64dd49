import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parse } from 'yaml';
import { call } from './helpers/shop.js';
import { freshPostgres, postgresUrl, redisUrl } from './helpers/targets.js';

/**
 * What the template's Dockerfile does, without Docker: lay out a build context as faas-cli
 * does (template files; the handler and stack.yml's `configuration.copy` paths under
 * function/), compile with tsconfig.build.json, then run the compiled entry from the shipped
 * layout (package.json beside the output, so the `#platform/*` imports resolve).
 */
const root = resolve('.');

/** The dependencies the template's ship stage deletes (`npm pkg delete dependencies.<name> …`). */
function shippedWithout(): string[] {
  const dockerfile = readFileSync(join(root, 'templates/shop-node20/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  return [...dockerfile.matchAll(/dependencies\.(\S+)/g)].map((m) => m[1]);
}
const run = promisify(execFile);

t.test('a function compiles from a faas-cli build context and runs from the shipped layout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-build-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { configuration } = parse(readFileSync('stack.yml', 'utf8'), { merge: true }) as { configuration: { copy: string[] } };
  const copied = configuration.copy;
  t.ok(copied.includes('./platform'), 'stack.yml copies the shared code into every build context');

  // Dockerfile: COPY function/ ./ and COPY entry.ts tsconfig.build.json ./
  const build = join(dir, 'build');
  cpSync(join(root, 'functions/get-me'), build, { recursive: true });
  for (const path of copied) cpSync(join(root, path), join(build, path), { recursive: true });
  for (const file of ['entry.ts', 'tsconfig.build.json']) cpSync(join(root, 'templates/shop-node20', file), join(build, file));
  symlinkSync(join(root, 'node_modules'), join(build, 'node_modules'));
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: build });

  // Dockerfile ship stage: package.json, production node_modules, and dist/ beside them.
  const ship = join(dir, 'ship');
  cpSync(join(build, 'dist'), ship, { recursive: true });
  cpSync(join(build, 'package.json'), join(ship, 'package.json'));
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
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    const scoped = entry.startsWith('@') ? readdirSync(join(root, 'node_modules', entry)).map((name) => `${entry}/${name}`) : [entry];
    for (const name of scoped) {
      if (dropped.includes(name) || name === '.bin') continue;
      mkdirSync(join(ship, 'node_modules', dirname(name)), { recursive: true });
      symlinkSync(join(root, 'node_modules', name), join(ship, 'node_modules', name));
    }
  }

  const child = fork(join(ship, 'entry.js'), [], {
    cwd: ship,
    execArgv: [],
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
