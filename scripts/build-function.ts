/**
 * What the template's Dockerfile does to a function, without Docker: lay out a build context
 * as faas-cli does (template files; the handler and stack.yml's `configuration.copy` paths under
 * function/), type-check it with tsconfig.build.json and bundle it with the template's bundle.mjs
 * (esbuild), then lay out the ship stage (the bundle beside package.json, and node_modules less the
 * dependencies the image deletes, for the packages the bundle leaves out). The template-build test
 * and the bench run functions from it.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const template = join(root, 'templates/shop-node26');
const run = promisify(execFile);

/** The paths stack.yml's `configuration.copy` brings into every build context. */
export function copiedPaths(): string[] {
  const stack = parse(readFileSync(join(root, 'stack.yml'), 'utf8'), { merge: true }) as { configuration: { copy: string[] } };
  return stack.configuration.copy;
}

/** The dependencies the template's ship stage deletes (`npm pkg delete dependencies.<name> …`). */
export function shippedWithout(): string[] {
  const dockerfile = readFileSync(join(template, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  return [...dockerfile.matchAll(/dependencies\.(\S+)/g)].map((m) => m[1]);
}

/** What the Dockerfile copies from the template beside the handler (`COPY entry.ts … ./`). */
const templateFiles = ['entry.ts', 'serve.ts', 'warm.ts', 'bundle.mjs', 'tsconfig.build.json'];

/**
 * Bundles `functionDir` (a folder with index.ts) in `dir`/build and returns `dir`/ship, where
 * `node entry.js` runs the function as its container does, its compile cache filled as the image's
 * is (shippedEnv()). `without`: dependencies left out of the shipped node_modules (shippedWithout()
 * for the image's set). `typeCheck: false` skips the type-check (the bench builds every function).
 */
export async function buildFunction(functionDir: string, dir: string, without: string[] = [], { typeCheck = true } = {}): Promise<string> {
  // Dockerfile: COPY function/ ./ and COPY entry.ts … ./
  const build = join(dir, 'build');
  cpSync(functionDir, build, { recursive: true });
  for (const path of copiedPaths()) cpSync(join(root, path), join(build, path), { recursive: true });
  for (const file of templateFiles) cpSync(join(template, file), join(build, file));
  symlinkSync(join(root, 'node_modules'), join(build, 'node_modules'));
  if (typeCheck) await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: build });
  await run(process.execPath, ['bundle.mjs'], { cwd: build });

  // Ship stage: package.json, production node_modules, and the bundle (dist/) beside them.
  const ship = join(dir, 'ship');
  cpSync(join(build, 'dist'), ship, { recursive: true });
  cpSync(join(build, 'package.json'), join(ship, 'package.json'));
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    const scoped = entry.startsWith('@') ? readdirSync(join(root, 'node_modules', entry)).map((name) => `${entry}/${name}`) : [entry];
    for (const name of scoped) {
      if (without.includes(name) || name === '.bin') continue;
      mkdirSync(join(ship, 'node_modules', dirname(name)), { recursive: true });
      symlinkSync(join(root, 'node_modules', name), join(ship, 'node_modules', name));
    }
  }
  // RUN node warm.js && rm warm.js warm.js.map, with the image's NODE_COMPILE_CACHE.
  await run(process.execPath, ['warm.js'], { cwd: ship, env: { PATH: process.env.PATH, ...shippedEnv(ship) } });
  for (const file of ['warm.js', 'warm.js.map']) rmSync(join(ship, file), { force: true });
  return ship;
}

/**
 * The environment the image sets for Node (its `ENV NODE_COMPILE_CACHE=/home/app/…`), for the
 * shipped layout in `ship` (the image's /home/app).
 */
export function shippedEnv(ship: string): Record<string, string> {
  const cache = /ENV NODE_COMPILE_CACHE=(\S+)/.exec(readFileSync(join(template, 'Dockerfile'), 'utf8'));
  if (!cache) throw new Error('the template Dockerfile sets no NODE_COMPILE_CACHE');
  return { NODE_COMPILE_CACHE: cache[1].replace(/^\/home\/app/, ship) };
}

/** How the image starts the function: its `fprocess`, as arguments (`node`, then node's and the script). */
export function shippedCommand(): string[] {
  const fprocess = /fprocess="([^"]+)"/.exec(readFileSync(join(template, 'Dockerfile'), 'utf8'));
  if (!fprocess) throw new Error('the template Dockerfile sets no fprocess');
  return fprocess[1].split(/\s+/);
}
