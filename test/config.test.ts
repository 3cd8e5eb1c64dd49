import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig, parseDuration, parseSize, publicEnvironment, readSecret } from '#platform/config.js';
import { openStore } from '#platform/connections.js';
import { lockDataDir } from '#adapters/sql/data-dir-lock.js';

t.test('secrets: the OpenFaaS secret file wins over the environment variable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  writeFileSync(join(dir, 'database-url'), 'postgres://from-file\n');
  const env = { SECRETS_DIR: dir, DATABASE_URL: 'postgres://from-env', REDIS_URL: 'redis://from-env' };
  t.equal(readSecret('database-url', env), 'postgres://from-file', 'trimmed file content');
  t.equal(readSecret('redis-url', env), 'redis://from-env', 'falls back to REDIS_URL');
  t.equal(readSecret('jwt-private-key', env), undefined);
  t.equal(readSecret('redis-url', { REDIS_URL: '' }), undefined, 'empty means unset');
});

t.test('the admin email is a secret too; secret-like environment names are never shown', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  writeFileSync(join(dir, 'admin-email'), 'boss@shop.test\n');
  t.equal(loadConfig({ SECRETS_DIR: dir, ADMIN_EMAIL: 'env@shop.test' }).adminEmail, 'boss@shop.test');
  t.equal(loadConfig({ SECRETS_DIR: '/nonexistent', ADMIN_EMAIL: 'env@shop.test' }).adminEmail, 'env@shop.test');
  const shown = publicEnvironment({
    mode: 'http',
    exec_timeout: '10s',
    REDIS_KEY_PREFIX: 'shop:',
    ADMIN_EMAIL: 'a@b.c',
    ADMIN_PASSWORD: 'x',
    DATABASE_URL: 'postgres://u:p@h/db',
    JWT_PRIVATE_KEY: 'pem',
    STRIPE_API_KEY: 'k',
    INTERNAL_TOKEN: 't',
    SESSION_SECRET: 's',
  });
  t.same(shown, { mode: 'http', exec_timeout: '10s', REDIS_KEY_PREFIX: 'shop:' });
});

t.test('sizes and durations in the watchdog formats', async (t) => {
  t.equal(parseSize('1mb', 0), 1024 * 1024);
  t.equal(parseSize('512kb', 0), 512 * 1024);
  t.equal(parseSize('2048', 0), 2048);
  t.equal(parseSize('lots', 7), 7);
  t.equal(parseDuration('10s', 0), 10);
  t.equal(parseDuration('1m30s', 0), 90);
  t.equal(parseDuration('500ms', 0), 0.5);
  t.equal(parseDuration('15', 0), 15);
  t.equal(parseDuration(undefined, 3), 3);
});

t.test('defaults', async (t) => {
  const config = loadConfig({ SECRETS_DIR: '/nonexistent' });
  t.match(config, { port: 8080, logLevel: 'info', maxJsonBytes: 1024 * 1024, redisKeyPrefix: 'shop:' });
  t.equal(config.databaseUrl, undefined);
  t.match(config.dataDir, /\.data$/);
  t.match(config.sessions, { accessTokenTtl: 900, refreshTokenTtl: 30 * 24 * 3600 });
  t.match(config.attempts, { window: 900, maxPerEmailAndIp: 10, maxPerEmail: 50, maxPerIp: 100, registerMaxPerIp: 20 });
  t.same(config.timeouts, { request: undefined, headers: undefined, keepAlive: 72 });
  t.same(config.orderLimits, { maxOpenOrders: 5, maxUnitsPerProduct: 99 });
  t.same(loadConfig({ MAX_OPEN_ORDERS: '3', MAX_UNITS_PER_PRODUCT: '0', SECRETS_DIR: '/nonexistent' }).orderLimits, { maxOpenOrders: 3, maxUnitsPerProduct: 99 }, '0 is no limit: the default');
  t.equal(loadConfig({ PORT: 'abc', SECRETS_DIR: '/nonexistent' }).port, 8080, 'a bad number falls back');
});

t.test('the embedded data directory is locked to one process at a time', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lock-'));
  const release = lockDataDir(dir);
  t.throws(() => lockDataDir(dir), /in use by process \d+.*PGlite serves one process only/);
  release();
  const again = lockDataDir(dir);
  again();
  writeFileSync(join(dir, 'shop.lock'), '999999999'); // left by a process that has gone
  t.doesNotThrow(() => lockDataDir(dir)(), 'a stale lock is taken over');
});

t.test('a new embedded database is made beside its directory and moved in whole; a half-made one is made again', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pglite-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const dir = join(dataDir, 'pglite');
  // What a start killed halfway leaves: a folder beside it and files without PG_VERSION.
  mkdirSync(join(dir, 'base'), { recursive: true });
  writeFileSync(join(dir, 'postgresql.conf'), 'half');
  mkdirSync(join(dataDir, 'pglite.init-999999999'));
  const config = loadConfig({ DATA_DIR: dataDir, SECRETS_DIR: join(dataDir, 'none') });
  const first = await openStore(config);
  t.same(await first.store.users.list(0, 10), { items: [], total: 0 }, 'a working database');
  await first.store.close();
  t.same(readdirSync(dataDir).sort(), ['pglite'], 'nothing left beside it');
  t.ok(existsSync(join(dir, 'PG_VERSION')));
  t.match(readFileSync(join(dir, 'postgresql.auto.conf'), 'utf8'), /shared_buffers = '32MB'/);

  const again = await openStore(config);
  t.equal((await again.store.users.list(0, 10)).total, 0, 'opened as it is the next time');
  await again.store.close();
});
