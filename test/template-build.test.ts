import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parse } from 'yaml';
import { call } from './helpers/shop.js';

/**
 * What the template's Dockerfile does, without Docker: lay out a build context as faas-cli
 * does (template files; the handler and stack.yml's `configuration.copy` paths under
 * function/), compile with tsconfig.build.json, then run the compiled entry from the shipped
 * layout (package.json beside the output, so the `#platform/*` imports resolve).
 */
const root = resolve('.');
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
  symlinkSync(join(root, 'node_modules'), join(ship, 'node_modules'));

  const child = fork(join(ship, 'entry.js'), [], {
    cwd: ship,
    execArgv: [],
    env: { PATH: process.env.PATH, upstream_url: 'http://127.0.0.1:0', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', SECRETS_DIR: join(dir, 'none') },
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
