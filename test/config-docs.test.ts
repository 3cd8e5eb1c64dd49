import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import t from 'tap';
import { ERRORS } from '#domain/errors.js';
import { secretFiles, settings } from '#platform/config.js';
import { END, renderConfigDocs, withConfigDocs } from '../scripts/config-docs.js';

/** The README's configuration tables are the schema's (platform/config/), and no doc names a setting it lacks. */

const readme = readFileSync('README.md', 'utf8');
const declared = new Set(settings.map(({ setting }) => setting.env));

t.test("the README's configuration tables are generated from the schema (npm run docs:config)", async (t) => {
  t.ok(readme.includes(renderConfigDocs()), 'README.md is up to date: run npm run docs:config');
  t.equal(withConfigDocs(readme), readme);
  const generated = readme.slice(readme.indexOf('<!-- config:start'), readme.indexOf(END));
  const rows = [...generated.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
  t.same(rows.sort(), [...declared].sort(), 'one row per setting, every setting a row');
});

/** What is written in capitals in backticks and is not a setting: HTTP methods, error codes, … */
const NOT_SETTINGS = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'ERRORS', 'USD',
  'NODE_COMPILE_CACHE', // Node's own
  'LOGIN_WINDOW_SECOND', // the README's example of a mistyped name
]);

t.test('every setting the README names is one of the schema', async (t) => {
  const named = new Set([...readme.matchAll(/`([A-Z][A-Z0-9_]*)(=[^`]*)?`/g)].map((m) => m[1]));
  for (const name of named) {
    if (NOT_SETTINGS.has(name) || name in ERRORS) continue;
    t.ok(declared.has(name), `README.md names ${name}: a setting of platform/config/`);
  }
});

t.test('every variable of .env.example, deploy/ and the functions in stack.yml is a setting', async (t) => {
  const example = readFileSync('.env.example', 'utf8');
  const names = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
  t.ok(names.length > 20, '.env.example read');
  for (const name of names) t.ok(declared.has(name), `.env.example: ${name} is a setting`);

  for (const file of ['deploy/connector.yaml', 'deploy/edge.yaml']) {
    const text = readFileSync(file, 'utf8');
    for (const [, name] of text.matchAll(/\{ name: ([A-Za-z_][A-Za-z0-9_]*), value/g)) t.ok(declared.has(name), `${file}: ${name} is a setting`);
    for (const [, name] of text.matchAll(/secret: \{ name: ([a-z0-9-]+)/g)) t.ok(secretFiles.includes(name), `${file}: secret ${name} is one the schema reads`);
  }

  // of-watchdog's own settings are its business; ours must be declared.
  const watchdog = new Set(['mode', 'read_timeout', 'write_timeout', 'healthcheck_interval', 'max_inflight', 'prefix_logs', 'buffer_http']);
  const stack = parse(readFileSync('stack.yml', 'utf8'), { merge: true }) as { functions: Record<string, { environment?: Record<string, unknown> }> };
  for (const [name, f] of Object.entries(stack.functions)) {
    for (const variable of Object.keys(f.environment ?? {})) {
      if (!watchdog.has(variable)) t.ok(declared.has(variable), `stack.yml ${name}: ${variable} is a setting`);
    }
  }
});
