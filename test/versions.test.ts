import { readFileSync } from 'node:fs';
import t from 'tap';
import { referenceDocument } from './helpers/openapi.js';

/** One version: the changelog's latest release names it, package.json carries it, the API reference says it. */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { version: string; packages: Record<string, { version?: string }> };
const changelog = readFileSync('CHANGELOG.md', 'utf8');

t.test("package.json's version is the changelog's latest release", async (t) => {
  const headings = [...changelog.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  t.equal(headings[0], 'Unreleased', 'new work is written under Unreleased, at the top');
  const released = headings.map((h) => /^(\d+\.\d+\.\d+)\b/.exec(h)?.[1]).filter(Boolean);
  t.ok(released.length, 'the changelog has released versions');
  t.equal(pkg.version, released[0], `package.json says ${pkg.version}, the changelog's latest release is ${released[0]}`);
  t.equal(lock.version, pkg.version, 'package-lock.json too (npm install writes it)');
  t.equal(lock.packages['']?.version, pkg.version);
});

t.test("the API reference's version is the package's", async (t) => {
  const document = await referenceDocument();
  t.equal(document.info.version, pkg.version);
});
