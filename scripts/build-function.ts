/**
 * What the template's Dockerfile does to a function, without Docker: lay out a build context
 * as faas-cli does (template files; the handler and stack.yml's `configuration.copy` paths under
 * function/), compile it with tsconfig.build.json, then lay out the ship stage (the compiled
 * output beside package.json, whose `imports` map resolves `#platform/*`, and node_modules less
 * the dependencies the image deletes). The template-build test and the bench run functions from it.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
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

/**
 * Compiles `functionDir` (a folder with index.ts) in `dir`/build and returns `dir`/ship, where
 * `node entry.js` runs the function as its container does. `without`: dependencies left out of
 * the shipped node_modules (shippedWithout() for the image's set).
 */
export async function buildFunction(functionDir: string, dir: string, without: string[] = []): Promise<string> {
  // Dockerfile: COPY function/ ./ and COPY entry.ts tsconfig.build.json ./
  const build = join(dir, 'build');
  cpSync(functionDir, build, { recursive: true });
  for (const path of copiedPaths()) cpSync(join(root, path), join(build, path), { recursive: true });
  for (const file of ['entry.ts', 'warm.ts', 'tsconfig.build.json']) cpSync(join(template, file), join(build, file));
  symlinkSync(join(root, 'node_modules'), join(build, 'node_modules'));
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: build });

  // Ship stage: package.json, production node_modules, and dist/ beside them.
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
  return ship;
}

/** How the image starts the function: its `fprocess`, as arguments (`node`, then node's and the script). */
export function shippedCommand(): string[] {
  const fprocess = /fprocess="([^"]+)"/.exec(readFileSync(join(template, 'Dockerfile'), 'utf8'));
  if (!fprocess) throw new Error('the template Dockerfile sets no fprocess');
  return fprocess[1].split(/\s+/);
}
