import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import t from 'tap';

/**
 * Arrows run downward only: functions → domain ← adapters; platform and runtime wire them. Each
 * module's imports (static and dynamic, with a literal path) are held to its layer's rule.
 */

const root = resolve('.');

/** Top folder → the top folders and packages it may import. */
const RULES: Record<string, { layers: string[]; packages?: (name: string) => boolean; why: string }> = {
  domain: {
    layers: ['domain'],
    // Hashes, random ids and calendar arithmetic (time zones, daylight saving) are computation, not I/O.
    packages: (name) => name === 'zod' || name === 'node:crypto' || name === 'luxon',
    why: 'the domain imports only the domain, zod, node:crypto and luxon',
  },
  adapters: { layers: ['domain', 'adapters'], why: 'an adapter implements a port of the domain and knows nothing above it' },
  functions: {
    layers: ['domain', 'platform'],
    packages: (name) => name === 'zod',
    why: 'a function uses the platform and the domain, never an adapter, the runtime or another function',
  },
  platform: { layers: ['domain', 'adapters', 'platform'], why: 'the platform wires the domain and the adapters, and knows no function or runtime' },
  runtime: { layers: ['domain', 'adapters', 'platform', 'runtime'], why: 'the runtime loads functions through stack.yml, never by import' },
  templates: { layers: ['domain', 'adapters', 'platform', 'templates'], why: 'the template entry mounts the function it is built with' },
  scripts: { layers: ['domain', 'adapters', 'platform', 'runtime', 'scripts'], why: 'scripts never import tests or the bench' },
  web: {
    layers: ['web'],
    packages: (name) => name === 'preact' || name === 'openapi-fetch',
    why: 'the storefront knows the shop only through the public API: it imports itself, preact and openapi-fetch',
  },
};

// A statement's `from` (import or export, over several lines), a dynamic import, a bare import;
// never a `from '…'` inside a string or comment, such as a field's description.
const IMPORT = /(?:^\s*(?:import|export)\b[^'";]*?\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"\n]+)['"]/gm;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // dist: build output (web/dist), not source.
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** The top folder an import lands in, or the package it names. */
function target(file: string, specifier: string): { layer: string } | { package: string } {
  const alias = /^#(\w+)\//.exec(specifier);
  if (alias) return { layer: alias[1] };
  if (specifier.startsWith('.')) return { layer: relative(root, resolve(dirname(file), specifier)).split(sep)[0] };
  const [scope, name] = specifier.split('/');
  return { package: scope.startsWith('@') ? `${scope}/${name}` : scope };
}

function imports(file: string) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  return [...text.matchAll(IMPORT)].map((m) => m[1]);
}

function violations(layer: string) {
  const rule = RULES[layer];
  const found: string[] = [];
  for (const file of sourceFiles(join(root, layer))) {
    if (layer === 'functions' && file.endsWith('.test.ts')) continue; // a function's own test may build anything
    const own = relative(root, file);
    for (const specifier of imports(file)) {
      const to = target(file, specifier);
      if ('package' in to) {
        if (rule.packages && !rule.packages(to.package)) found.push(`${own} imports the package ${to.package}`);
        continue;
      }
      if (!rule.layers.includes(to.layer)) found.push(`${own} imports ${specifier} (${to.layer})`);
      // A function folder reads the platform and the domain, not another function.
      if (layer === 'functions' && to.layer === 'functions') found.push(`${own} imports another function: ${specifier}`);
    }
  }
  return found;
}

for (const layer of Object.keys(RULES)) {
  t.test(`${layer}: ${RULES[layer].why}`, async (t) => {
    t.same(violations(layer), []);
  });
}

t.test('the rule sees what it must', async (t) => {
  t.same(target(join(root, 'functions/get-me/index.ts'), '../../adapters/redis-kv.js'), { layer: 'adapters' });
  t.same(target(join(root, 'domain/cart/cart.ts'), '#platform/config.js'), { layer: 'platform' });
  t.same(target(join(root, 'adapters/sql/sql-store.ts'), '@electric-sql/pglite'), { package: '@electric-sql/pglite' });
  t.same(imports(join(root, 'platform/connections.ts')).filter((s) => s === '#adapters/sql/pglite-store.js').length, 1, 'dynamic imports count');
});
