import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import GithubSlugger from 'github-slugger';
import t from 'tap';

/**
 * The README and docs/ as a reader follows them: every section link (#anchor) and relative file
 * link resolves, every "README, "Section"" reference in the code names a section that exists,
 * and every setting the README names is one the code reads.
 */
const markdown = ['README.md', 'CHANGELOG.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '');

/** The anchors GitHub gives a file's headings (duplicates numbered, as it does). */
function anchors(file: string) {
  const slugger = new GithubSlugger();
  return new Set(
    [...withoutCode(readFileSync(file, 'utf8')).matchAll(/^#{1,6} +(.+?) *#*$/gm)].map(([, heading]) =>
      slugger.slug(heading.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')),
    ),
  );
}

t.test('section links and relative file links resolve', async (t) => {
  for (const file of markdown) {
    const links = [...withoutCode(readFileSync(file, 'utf8')).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    for (const link of links) {
      if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
      const [path, anchor] = link.split('#');
      const target = path ? join(dirname(file), path) : file;
      if (!existsSync(target)) {
        t.fail(`${file}: ${link}: no file ${target}`);
        continue;
      }
      if (anchor !== undefined) {
        const known = statSync(target).isFile() && target.endsWith('.md') ? anchors(target) : new Set<string>();
        t.ok(known.has(anchor), `${file}: ${link} names a section of ${relative('.', target)}`);
      } else {
        t.pass(`${file}: ${link}`);
      }
    }
  }
});

/** The repository's own files, docs aside: where settings are read and sections are cited. */
function sourceFiles(dir = '.'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', '.git', '.tap', '.data', 'template'].includes(entry.name) ? [] : sourceFiles(path);
    return /\.(ts|js|sh|ya?ml|conf)$|^Dockerfile$|^\.env\.example$/.test(entry.name) ? [path] : [];
  });
}
// This file names settings and sections only to look for them.
const sources = sourceFiles()
  .filter((path) => path !== join('test', 'docs.test.ts'))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

t.test('sections the code cites in the README exist', async (t) => {
  const readme = anchors('README.md');
  const slugger = new GithubSlugger();
  for (const { path, text } of sources) {
    for (const [, section] of text.matchAll(/README(?:'s)?,? (?:section )?\\?"([^"\\]+)\\?"/g)) {
      slugger.reset();
      t.ok(readme.has(slugger.slug(section)), `${path} cites README "${section}"`);
    }
  }
});

t.test('every setting the README names is one the code reads', async (t) => {
  const readme = readFileSync('README.md', 'utf8');
  const code = sources.filter(({ path }) => !path.endsWith('.env.example'));
  const read = (name: string) => {
    const word = new RegExp(`\\b${name}\\b`);
    // Secrets are read by their file name (readSecret('internal-token')), the variable derived from it.
    const secret = `'${name.toLowerCase().replaceAll('_', '-')}'`;
    return code.some(({ text }) => word.test(text) || (text.includes('readSecret(') && text.includes(secret)));
  };
  const configuration = readme.slice(readme.indexOf('\n## Configuration'), readme.indexOf('\n## ', readme.indexOf('\n## Configuration') + 1));
  const rows = [...configuration.matchAll(/^\| (.+?) \|/gm)].map((m) => m[1]).filter((cell) => cell !== 'variable' && !/^-+$/.test(cell));
  t.ok(rows.length > 30, `${rows.length} rows in the configuration table`);
  const tableNames = rows.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)(?:=[^`]*)?`/g)].map((m) => m[1]));
  // Anywhere in the prose: a name in backticks made of capitals and underscores (PORT=… too).
  const proseNames = [...withoutCode(readme).matchAll(/`([A-Z][A-Z0-9]*_[A-Z0-9_]+)(?:=[^`]*)?`/g)].map((m) => m[1]);
  for (const name of new Set([...tableNames, ...proseNames])) t.ok(read(name), `${name} is in the code`);
  t.notOk(read('NO_SUCH_SETTING_HERE'), 'the check can fail');
});
