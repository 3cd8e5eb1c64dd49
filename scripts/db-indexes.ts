/**
 * `npm run db:indexes`: the deploy step for MongoDB's collections and indexes. Start-up only
 * creates what is missing and never drops (adapters/mongo/mongo-indexes.ts); this command shows
 * how the server differs from the schema and changes it when asked:
 *
 *   npm run db:indexes                      report only; exits 1 while the server lacks an index
 *                                           of the schema or has one that differs (an index the
 *                                           schema does not name is reported, not a failure)
 *   npm run db:indexes -- --apply           also create the missing collections and indexes
 *   npm run db:indexes -- --apply --drop    also drop indexes the schema does not name and
 *                                           rebuild those that differ (each is absent meanwhile)
 *
 * Same configuration as the runtime (DATABASE_URL, or the database-url secret). PostgreSQL and
 * PGlite need no such step: their schema is created at start-up under a lock (adapters/sql/schema.ts).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CollectionIndexes } from '#adapters/mongo/mongo-indexes.js';
import { configOrExit } from '#platform/config.js';

const json = (value: unknown) => JSON.stringify(value);
// An extra index (an operator's) is allowed; a missing or differing one leaves a query unserved or a rule unkept.
const lacking = (collections: CollectionIndexes[]) => collections.some(({ diff }) => diff.missing.length || diff.changed.length);
const options = ({ key: _key, name: _name, v: _v, ...rest }: Record<string, unknown>) => json(rest);

/** One line per difference, or one saying the collection is in step. */
export function report(collections: CollectionIndexes[], { drop }: { drop: boolean }): string[] {
  return collections.flatMap(({ collection, diff, inStep }) => {
    if (inStep) return [`${collection}: in step with the schema`];
    return [
      ...diff.missing.map((index) => `${collection}: missing ${index.name} ${json(index.key)} ${json(index.options)}`),
      ...diff.extra.map((index) => `${collection}: not in the schema ${index.name} ${json(index.key)}${drop ? '' : ' (kept; --drop removes it)'}`),
      ...diff.changed.map(
        ({ wanted, found }) =>
          `${collection}: differs ${found.name}: the server has ${json(found.key)} ${options(found)}, ` +
          `the schema wants ${json(wanted.key)} ${json(wanted.options)}${drop ? '' : ' (--drop rebuilds it)'}`,
      ),
    ];
  });
}

async function main() {
  const { values } = parseArgs({ options: { apply: { type: 'boolean', default: false }, drop: { type: 'boolean', default: false } } });
  if (values.drop && !values.apply) throw new Error('--drop changes the server: give it together with --apply');
  const config = configOrExit('db:indexes');
  if (!config.databaseUrl?.startsWith('mongodb')) {
    console.log('DATABASE_URL is not a MongoDB URL: PostgreSQL and PGlite create their schema at start-up; nothing to do.');
    return;
  }
  const { openMongo } = await import('#adapters/mongo/mongo-connect.js');
  const { applyIndexes, compareIndexes } = await import('#adapters/mongo/mongo-indexes.js');
  const connection = await openMongo(config.databaseUrl, { poolSize: 1 });
  try {
    const before = await compareIndexes(connection);
    for (const line of report(before, { drop: false })) console.log(line);
    if (!values.apply) {
      if (lacking(before)) process.exitCode = 1;
      return;
    }
    const after = await applyIndexes(connection, { drop: values.drop });
    console.log(values.drop ? 'applied, with drops; now:' : 'created what was missing; now:');
    for (const line of report(after, { drop: values.drop })) console.log(line);
    if (lacking(after)) process.exitCode = 1;
  } finally {
    await connection.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
