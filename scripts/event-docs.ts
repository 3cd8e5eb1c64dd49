/**
 * `npm run docs:events`: writes the event table and the saga table of docs/architecture.md (between
 * their `<!-- events:begin -->` and `<!-- saga:begin -->` markers) from the event catalog
 * (domain/<area>/events.ts), the saga (domain/orders/saga.ts) and stack.yml's `topic` annotations.
 * `--check` writes nothing and exits 1 when the file is stale (test/event-catalog.test.ts does the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { architectureSections, consumersOf, withSections } from '#platform/event-docs.js';
import { loadStack } from '../runtime/stack.js';

const file = 'docs/architecture.md';
const before = readFileSync(file, 'utf8');
const after = withSections(before, architectureSections(consumersOf(loadStack(process.env.STACK_FILE ?? 'stack.yml').functions)));
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error(`${file} is stale: run npm run docs:events`);
    process.exit(1);
  }
} else if (after !== before) {
  writeFileSync(file, after);
  console.log(`${file}: the event and saga tables are written`);
} else {
  console.log(`${file}: up to date`);
}
