/**
 * `npm run web:size`: what the storefront's first page costs a phone, in JavaScript compressed
 * with gzip (level 9, as Nginx or a CDN sends it at best; Nginx's default level 1 sends a little
 * more), and the whole build for comparison. Writes the figures into README.md between the
 * `web-size` markers; `--check` exits 1 when the README shows other figures or the first page is
 * over its budget.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIST } from '../runtime/web.js';

/** The budget: the first page under 100 KB of JavaScript, compressed. */
export const FIRST_PAGE_BUDGET = 100 * 1024;

const gzipped = (file: string) => gzipSync(readFileSync(join(WEB_DIST, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The JavaScript index.html loads (its module script and preloads) and everything the build holds. */
export function measureWeb() {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const firstPage = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const all = readdirSync(join(WEB_DIST, 'assets')).map((name) => `assets/${name}`);
  const sum = (files: string[]) => files.reduce((total, file) => total + gzipped(file), 0);
  return {
    firstPageJs: sum(firstPage),
    allJs: sum(all.filter((f) => f.endsWith('.js'))),
    css: sum(all.filter((f) => f.endsWith('.css'))),
    html: gzipSync(html, { level: 9 }).length,
  };
}

export function sizeLines(size: ReturnType<typeof measureWeb>) {
  return [
    `| first page, JavaScript (gzip) | ${kb(size.firstPageJs)} (budget ${kb(FIRST_PAGE_BUDGET)}) |`,
    `| all JavaScript, back office included (gzip) | ${kb(size.allJs)} |`,
    `| stylesheet (gzip) | ${kb(size.css)} |`,
    `| index.html (gzip) | ${kb(size.html)} |`,
  ];
}

const START = '<!-- web-size:start (npm run web:size) -->';
const END = '<!-- web-size:end -->';

if (import.meta.main) {
  const size = measureWeb();
  const block = [START, '| what | size |', '| --- | --- |', ...sizeLines(size), END].join('\n');
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (at < 0 || end < 0) throw new Error(`README.md has no ${START} … ${END} block`);
  const next = readme.slice(0, at) + block + readme.slice(end + END.length);
  console.log(sizeLines(size).join('\n'));
  if (process.argv.includes('--check')) {
    if (size.firstPageJs > FIRST_PAGE_BUDGET) throw new Error(`the first page loads ${kb(size.firstPageJs)} of JavaScript, over ${kb(FIRST_PAGE_BUDGET)}`);
    if (next !== readme) {
      console.error('README.md shows other figures: run `npm run build:web && npm run web:size` and commit README.md');
      process.exit(1);
    }
  } else writeFileSync('README.md', next);
}
