import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { areas, loadConfig, schema, settingsOf, parseDuration, parseSize, publicEnvironment, readConfig, readSecret, secretFiles, settings } from '#platform/config.js';
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
  // Issue 18: a bad value is refused with the sentence that names it, never replaced by the default.
  t.throws(() => loadConfig({ PORT: 'abc', SECRETS_DIR: '/nonexistent' }), /^PORT=abc is not a port number \(1 to 65535\)\.$/, 'a bad number is refused');
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

const none = { SECRETS_DIR: '/nonexistent' };
const refusal = (env: Record<string, string>) => {
  const reading = readConfig({ ...none, ...env });
  return reading.problems.join('; ');
};

t.test('a bad value of every kind is refused with one sentence: the setting, the value, what is expected', async (t) => {
  t.equal(refusal({ LOGIN_WINDOW_SECONDS: 'ten' }), 'LOGIN_WINDOW_SECONDS=ten is not a whole number of seconds of 1 or more', 'number');
  t.equal(refusal({ LOGIN_MAX_PER_IP: '0' }), 'LOGIN_MAX_PER_IP=0 is not a whole number of 1 or more', 'number: 0 where it would mean nothing');
  t.equal(refusal({ CATALOG_CACHE_TTL: '-1' }), 'CATALOG_CACHE_TTL=-1 is not a whole number of seconds of 0 or more');
  t.equal(refusal({ PORT: '80800' }), 'PORT=80800 is not a port number (1 to 65535)');
  t.equal(refusal({ SHUTDOWN_TIMEOUT: 'soon' }), 'SHUTDOWN_TIMEOUT=soon is not a duration such as 30s, 15m or 500ms (above 0)', 'duration');
  t.equal(refusal({ EVENT_CALL_TIMEOUT: '30sx' }), 'EVENT_CALL_TIMEOUT=30sx is not a duration such as 30s, 15m or 500ms (above 0)', 'no partial durations');
  t.equal(refusal({ EVENT_RETRY_DELAYS: '1s,later' }), 'EVENT_RETRY_DELAYS="1s,later" is not a list of durations above 0 such as 1s,5s,30s', 'list of durations');
  t.equal(refusal({ MEMORY_CACHE_MAX_SIZE: 'big' }), 'MEMORY_CACHE_MAX_SIZE=big is not a size such as 1mb, 512kb or 2048 (bytes)', 'size');
  t.equal(refusal({ REDIS_URL: 'http://cache:6379' }), 'REDIS_URL must start with redis:// or rediss://', 'URL: a secret, its value not shown');
  t.equal(refusal({ PUBLIC_URL: 'shop.example.com' }), 'PUBLIC_URL=shop.example.com is not an http:// or https:// address such as https://shop.example.com', 'URL');
  t.equal(refusal({ LOG_LEVEL: 'loud' }), 'LOG_LEVEL=loud is not one of fatal, error, warn, info, debug, trace, silent', 'enum');
  t.equal(refusal({ CONNECTOR: 'maybe' }), 'CONNECTOR=maybe is not on or off', 'boolean');
  t.equal(refusal({ SHOP_CURRENCY: 'usd' }), 'SHOP_CURRENCY=usd is not an ISO 4217 code such as USD');
  t.equal(refusal({ SHOP_TIMEZONE: 'Mars/Olympus' }), 'SHOP_TIMEZONE=Mars/Olympus is not an IANA time zone such as Europe/Berlin');
  t.equal(refusal({ CORS_ORIGINS: 'shop.example.com' }), 'CORS_ORIGINS=shop.example.com is not a comma-separated list of origins such as https://shop.example.com (or *)');
  t.equal(refusal({ TRUSTED_PROXIES: '10.0.0.0/8, lb' }), 'TRUSTED_PROXIES="10.0.0.0/8, lb" is not a comma-separated list of addresses or CIDRs such as 10.0.0.0/8');
  t.equal(refusal({ JWT_PRIVATE_KEY: 'not a key' }), 'JWT_PRIVATE_KEY is not an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)');
  t.equal(refusal({ PORT: 'x', LOG_LEVEL: 'y' }), 'PORT=x is not a port number (1 to 65535); LOG_LEVEL=y is not one of fatal, error, warn, info, debug, trace, silent', 'every problem at once');
  t.equal(refusal({ PORT: '', LOG_LEVEL: '' }), '', 'empty is unset');
});

t.test('good values of every kind are read into the typed object', async (t) => {
  const config = loadConfig({
    ...none,
    PORT: '9000',
    SHUTDOWN_TIMEOUT: '1m30s',
    ORDER_PENDING_TIMEOUT: '500ms',
    EVENT_RETRY_DELAYS: '1s, 2m',
    CONNECTOR: 'off',
    PUBLIC_URL: 'https://shop.example.com//',
    CORS_ORIGINS: 'https://a.example, *',
    MEMORY_CACHE_MAX_SIZE: '2kb',
    CATALOG_CACHE_TTL: '0',
    REQUEST_TIMEOUT: '0',
  });
  t.match(config, { port: 9000, shutdownTimeout: 90, orderPendingTimeoutMs: 500, publicUrl: 'https://shop.example.com', memoryCacheMaxBytes: 2048, catalogCacheTtl: 0 });
  t.same(config.events.retryDelays, [1000, 120_000]);
  t.equal(config.events.connector, false);
  t.same(config.corsOrigins, ['https://a.example', '*']);
  t.equal(config.timeouts.request, 0);
});

t.test("the shop's time zone: a canonical name as given, another spelling canonicalised", async (t) => {
  const zone = (SHOP_TIMEZONE: string) => loadConfig({ ...none, SHOP_TIMEZONE }).delivery.timezone;
  t.equal(zone(' Europe/Berlin '), 'Europe/Berlin');
  t.equal(zone('UTC'), 'UTC');
  t.equal(zone('europe/berlin'), 'Europe/Berlin', 'the case of the IANA name');
  t.equal(zone('Asia/Kolkata'), new Intl.DateTimeFormat('en', { timeZone: 'Asia/Kolkata' }).resolvedOptions().timeZone, 'a link: as Intl names it');
});

t.test('secrets: a secret file is read, its bad value is refused without being shown', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'amqp-url'), 'amqp://shop:s3cret@rabbit:5672\n');
  writeFileSync(join(dir, 'basic-auth-user'), 'admin\n');
  const config = loadConfig({ SECRETS_DIR: dir, AMQP_URL: 'amqp://from-env' });
  t.equal(config.events.amqpUrl, 'amqp://shop:s3cret@rabbit:5672', 'the file wins over the environment');
  t.equal(config.connectorMain.user, 'admin');
  writeFileSync(join(dir, 'redis-url'), 'memcached://user:hunter2@cache\n');
  const said = readConfig({ SECRETS_DIR: dir }).problems.join('; ');
  t.equal(said, `REDIS_URL must start with redis:// or rediss:// (read from the secret file ${join(dir, 'redis-url')})`);
  t.notMatch(said, /hunter2/, 'the secret is not repeated');
  t.ok(secretFiles.includes('database-url') && secretFiles.includes('basic-auth-password'), 'secret files follow the names');
});

t.test("Stripe's keys: by their prefix, or `none` for unset (OpenFaaS makes no empty secret)", async (t) => {
  t.equal(refusal({ STRIPE_SECRET_KEY: 'pk_live_123' }), 'STRIPE_SECRET_KEY is not a Stripe secret key (sk_… or rk_…), nor `none`', 'a publishable key, not shown');
  t.equal(refusal({ STRIPE_WEBHOOK_SECRET: 'sk_test_1' }), "STRIPE_WEBHOOK_SECRET is not a Stripe webhook's signing secret (whsec_…), nor `none`");
  t.match(loadConfig({ ...none, STRIPE_SECRET_KEY: 'none', STRIPE_WEBHOOK_SECRET: 'none' }).payment, { stripeSecretKey: '', stripeWebhookSecret: '' }, 'none: cash only');
  t.match(loadConfig({ ...none, STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_2', PAYMENT_TIMEOUT_MINUTES: '0.5' }).payment, {
    stripeSecretKey: 'sk_test_1',
    stripeWebhookSecret: 'whsec_2',
    timeoutMinutes: 0.5,
  });
  t.equal(refusal({ PAYMENT_TIMEOUT_MINUTES: '0' }), 'PAYMENT_TIMEOUT_MINUTES=0 is not a number of minutes above 0 (fractions allowed)');
});

t.test('a name one typo away from a setting is warned about', async (t) => {
  t.same(readConfig({ ...none, LOGIN_WINDOW_SECOND: '60', HOME: '/root', PATH: '/bin' }).warnings, [
    'LOGIN_WINDOW_SECOND is not a setting of the shop; did you mean LOGIN_WINDOW_SECONDS? (it is unset, so its default applies)',
  ]);
  t.same(readConfig({ ...none, log_level: 'debug' }).warnings, [
    'log_level is not a setting of the shop; did you mean LOG_LEVEL? (it is unset, so its default applies)',
  ]);
});

t.test('the schema: every setting declared once, every default a good value', async (t) => {
  const names = settings.map(({ setting }) => setting.env);
  t.same(names.filter((name, i) => names.indexOf(name) !== i), [], 'no name twice');
  const keys = Object.values(areas).flatMap((area) => Object.keys(area.settings));
  t.same(keys.filter((key, i) => keys.indexOf(key) !== i), [], 'no key of the config object in two areas');
  t.equal(settingsOf(schema).length, Object.values(areas).reduce((sum, area) => sum + settingsOf(area.settings).length, 0), 'every area in the schema');
  for (const area of Object.keys(areas)) t.ok(existsSync(`platform/config/${area}.ts`), `platform/config/${area}.ts`);
  for (const { setting } of settings) {
    t.ok(setting.about.length > 10, `${setting.env}: described`);
    t.ok(setting.default !== undefined || setting.unset, `${setting.env}: a default, or what unset means`);
  }
  t.ok(readConfig(none).config, 'the defaults read');
});
