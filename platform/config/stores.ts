/** The system of record, Redis, images and the caches in front of them. */
import { count, size, text, url } from './kinds.js';
import { setting } from './setting.js';

export const stores = {
  databaseUrl: setting({
    env: 'DATABASE_URL',
    kind: url(['postgres', 'postgresql', 'mongodb', 'mongodb+srv'], ' (unset it for the embedded database)'),
    secret: true,
    unset: 'PGlite in `DATA_DIR/pglite`',
    about:
      '`postgres://…` (pg) or `mongodb://host/shop?replicaSet=rs0` (mongoose; must name its database and reach a replica-set ' +
      'primary, see [Storage](docs/architecture.md#storage)); on MongoDB `npm run db:indexes` is the index deploy step',
  }),
  pgPoolSize: setting({
    env: 'PG_POOL_SIZE',
    kind: count(),
    default: '10',
    about: "database pool size (pg's pool, and the MongoDB driver's `maxPoolSize` per server)",
  }),
  redisUrl: setting({
    env: 'REDIS_URL',
    kind: url(['redis', 'rediss']),
    secret: true,
    unset: 'in-memory store (one process only)',
    about: 'Redis (ioredis) for tokens, limits, carts, wishlists and caches',
  }),
  /** Prefix of every Redis key, so several shops (or test runs) can share one Redis. */
  redisKeyPrefix: setting({ env: 'REDIS_KEY_PREFIX', kind: text, default: 'shop:', about: 'prefix of every Redis key, so several shops can share one Redis' }),
  cloudinaryUrl: setting({
    env: 'CLOUDINARY_URL',
    kind: url(['cloudinary']),
    secret: true,
    unset: 'files in `DATA_DIR/media`, served at `/media/<file>`',
    about: 'product images on Cloudinary (`cloudinary://key:secret@cloud`)',
  }),
  catalogCacheTtl: setting({
    env: 'CATALOG_CACHE_TTL',
    kind: count({ min: 0, what: 'a whole number of seconds' }),
    default: '60',
    about: 'seconds catalog answers stay cached (`0` turns the cache off)',
  }),
  catalogCacheMaxEntries: setting({ env: 'CATALOG_CACHE_MAX_ENTRIES', kind: count(), default: '1000', about: 'catalog answers cached per catalog version, at most' }),
  memoryCacheMaxBytes: setting({
    env: 'MEMORY_CACHE_MAX_SIZE',
    kind: size,
    default: '64mb',
    about: 'size of the in-memory cache store (no `REDIS_URL`); least recently used entries go first',
  }),
  mongoUrl: setting({
    env: 'MONGO_URL',
    kind: url(['mongodb', 'mongodb+srv']),
    only: 'tests',
    unset: 'MongoDB suites skipped, said in the output with how to run them',
    about:
      'run the MongoDB suites on this replica set (a seed list such as `mongodb://a:1,b:2/?replicaSet=rs0` works; ' +
      'each suite makes and drops its own database)',
  }),
};
