import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '#platform/config.js';
import type { Deps } from '#platform/deps.js';

/**
 * The demo catalog on a first start: on embedded defaults (no DATABASE_URL, REDIS_URL or
 * AMQP_URL) a data directory without a database yet gets the catalog of `npm run seed`, so the
 * first `GET /api/products` lists food, not an empty page. Never with real services, and never
 * again once loaded: an admin who deletes it all keeps an empty catalog. A start stopped while
 * loading leaves a marker file, and the next start finishes the job (the seed skips what exists).
 */
export function demoCatalogWanted(config: Config): boolean {
  if (!config.demoCatalog || config.databaseUrl || config.redisUrl || config.events.amqpUrl) return false;
  return !existsSync(join(config.dataDir, 'pglite', 'PG_VERSION')) || existsSync(marker(config));
}

const marker = (config: Config) => join(config.dataDir, 'demo-catalog.loading');

export async function loadDemoCatalog(deps: Deps, log: FastifyBaseLogger) {
  const { seed } = await import('./seed.js');
  const { seedCategories, seedProducts } = await import('./seed-data.js');
  log.info(
    `first start on an empty data directory: loading the demo catalog (${seedCategories.length} categories, ` +
      `${seedProducts.length} products; DEMO_CATALOG=false turns this off)`,
  );
  writeFileSync(marker(deps.config), '');
  const started = performance.now();
  const { categories, products } = await seed(deps, { callId: `demo-catalog-${Date.now().toString(36)}` });
  rmSync(marker(deps.config), { force: true });
  log.info(
    `loaded the demo catalog in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${categories.created} categories, ${products.created} products`,
  );
}
