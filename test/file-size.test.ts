import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';

/** No source file outside bench/ is over 300 lines: a longer one does more than one thing. Split it by responsibility. */
const MAX_LINES = 300;

/** Left out, with the reason. */
const ALLOWED = new Set([
  // Data, not logic: the seed's catalog.
  'runtime/seed-data.ts',
  // Generated from the OpenAPI document by npm run build:web (git-ignored).
  'web/src/schema.d.ts',
]);
const SKIPPED_DIRS = new Set(['node_modules', 'bench', 'dist', 'build']);

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|js|mjs|cjs|sh)$/.test(entry.name)) yield relative('.', path);
  }
}

t.test(`no source file outside bench/ is over ${MAX_LINES} lines`, async (t) => {
  const files = [...sourceFiles('.')];
  t.ok(files.includes('runtime/gateway.ts'), 'the walk finds the sources');
  const long = files
    .filter((file) => !ALLOWED.has(file))
    .map((file) => ({ file, lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ file, lines }) => `${file}: ${lines} lines`);
  t.same(long, []);
});
