/**
 * `npm run seed`: loads the demo food catalog (runtime/seed.ts, its data in runtime/seed-data.ts:
 * 10 categories, 250-odd products), so a new shop looks like a real one right after `npm start`.
 *
 * - Same configuration as the runtime: the schema of platform/config/ on the environment (and .env), so with
 *   DATABASE_URL unset it writes to the embedded PGlite database under DATA_DIR (.data).
 * - Idempotent, and written through the catalog service like an admin's writes (runtime/seed.ts).
 *
 * EMBEDDED DEFAULTS: STOP THE SHOP FIRST. PGlite is PostgreSQL inside one Node.js process and
 * does not lock its data directory itself; a second process writing to it damages the database.
 * The shop's own lock (adapters/sql/data-dir-lock.ts) refuses the seed while `npm start` holds it.
 * With DATABASE_URL (PostgreSQL or MongoDB) the seed can run next to the shop; without REDIS_URL
 * the running shop's in-memory cache may show the old catalog until it expires (CATALOG_CACHE_TTL).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { configOrExit } from '#platform/config.js';
import { buildDeps, type Deps } from '#platform/deps.js';
import { label, seed } from '../runtime/seed.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function main() {
  const config = configOrExit('seed');
  const write = (text: string) => process.stdout.write(text);
  // On a terminal a live counter is redrawn in place; elsewhere (CI, a file) only finished lines.
  const live = Boolean(process.stdout.isTTY);
  const clear = live ? '\r\x1b[K' : '';
  const line = (text: string) => write(`${clear}${text}\n`);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());

  let deps: Deps | undefined;
  try {
    // Quiet: warnings only, on stderr, so stdout is the progress.
    const log: FastifyBaseLogger = pino({ level: config.logLevel === 'silent' ? 'silent' : 'warn' }, pino.destination(2));
    try {
      deps = await buildDeps(config, log);
    } catch (error) {
      if (config.databaseUrl || /in use by process/.test((error as Error).message)) throw error;
      throw new Error(
        `cannot open the embedded database in ${join(config.dataDir, 'pglite')}: ${(error as Error).message}\n  ` +
          'If the shop was running while something else opened it, the database may be damaged; ' +
          'move the folder away (a new one is made on the next start) and seed again.',
        { cause: error },
      );
    }
    line(`Seeding the demo catalog into ${deps.adapters.database}`);
    const started = performance.now();
    const result = await seed(deps, {
      log: line,
      signal: abort.signal,
      callId: `seed-${Date.now().toString(36)}`,
      onProgress: live
        ? (p) => write(`${clear}${label(p.category)} ${String(p.done).padStart(3)}/${p.total}   (${p.overall}/${p.overallTotal} products)`)
        : undefined,
    });
    const { categories, products } = result;
    line(
      `Done in ${seconds(performance.now() - started)}: ${categories.created} categories, ${products.created} products created, ` +
        `${products.existing} already there.`,
    );
    if (products.created && config.databaseUrl && !config.redisUrl && config.catalogCacheTtl > 0) {
      line(`A shop that is already running may list the old catalog for up to ${config.catalogCacheTtl}s (its cache is in memory without REDIS_URL).`);
    }
  } catch (error) {
    write(clear);
    if (abort.signal.aborted) {
      console.error('seed interrupted: what was created stays; run `npm run seed` again to finish.');
      process.exitCode = 130;
    } else {
      console.error(`seed failed: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  } finally {
    await deps?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
