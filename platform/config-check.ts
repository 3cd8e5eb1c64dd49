import { parseDuration, parseDurations } from './config.js';

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const positiveInts = [
  'PG_POOL_SIZE', 'ACCESS_TOKEN_TTL', 'REFRESH_TOKEN_TTL', 'LOGIN_WINDOW_SECONDS', 'LOGIN_MAX_PER_EMAIL', 'LOGIN_MAX_PER_IP',
  'EVENT_PREFETCH', 'EVENT_QUEUE_MAX_LENGTH', 'OUTBOX_RETENTION_HOURS', 'ASYNC_MAX_QUEUED', 'ASYNC_CONCURRENCY',
];

/**
 * What is wrong with the settings, one sentence each, before anything starts: `loadConfig`
 * falls back to defaults quietly, which a typo (PORT=80800, LOG_LEVEL=verbose) should not get.
 */
export function settingProblems(env: Env = process.env): string[] {
  const problems: string[] = [];
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  const bad = (name: string, expected: string) => problems.push(`${name}=${env[name]} is not ${expected}`);

  const port = Number(env.PORT);
  if (set('PORT') && !(Number.isInteger(port) && port > 0 && port < 65536)) bad('PORT', 'a port number (1 to 65535)');
  if (set('LOG_LEVEL') && !LOG_LEVELS.includes(env.LOG_LEVEL!)) bad('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`);
  if (set('DATABASE_URL') && !/^(postgres(ql)?|mongodb(\+srv)?):\/\//.test(env.DATABASE_URL!)) {
    problems.push('DATABASE_URL must start with postgres://, postgresql:// or mongodb:// (unset it for the embedded database)');
  }
  if (set('REDIS_URL') && !/^rediss?:\/\//.test(env.REDIS_URL!)) problems.push('REDIS_URL must start with redis:// or rediss://');
  if (set('AMQP_URL') && !/^amqps?:\/\//.test(env.AMQP_URL!)) problems.push('AMQP_URL must start with amqp:// or amqps://');
  for (const name of positiveInts) {
    const n = Number(env[name]);
    if (set(name) && !(Number.isInteger(n) && n > 0)) bad(name, 'a whole number above 0');
  }
  if (set('CATALOG_CACHE_TTL') && !/^\d+$/.test(env.CATALOG_CACHE_TTL!)) bad('CATALOG_CACHE_TTL', 'a number of seconds (0 turns the cache off)');
  if (set('SHOP_CURRENCY') && !/^[A-Z]{3}$/.test(env.SHOP_CURRENCY!)) bad('SHOP_CURRENCY', 'an ISO 4217 code such as USD');
  if (set('EVENT_RETRY_DELAYS') && parseDurations(env.EVENT_RETRY_DELAYS, []).length === 0) {
    bad('EVENT_RETRY_DELAYS', 'a list of durations such as 1s,5s,30s');
  }
  for (const name of ['ORDER_PENDING_TIMEOUT', 'SHUTDOWN_TIMEOUT']) {
    if (set(name) && !(parseDuration(env[name], NaN) > 0)) bad(name, 'a duration such as 15m or 30s');
  }
  if (set('RUNTIME_MODE') && !['in-process', 'isolated'].includes(env.RUNTIME_MODE!)) bad('RUNTIME_MODE', 'in-process or isolated');
  if (set('CONNECTOR') && !['on', 'off'].includes(env.CONNECTOR!)) bad('CONNECTOR', 'on or off');
  if (set('DEMO_CATALOG') && !['true', 'false', 'on', 'off'].includes(env.DEMO_CATALOG!)) bad('DEMO_CATALOG', 'true or false');
  for (const origin of (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(`CORS_ORIGINS: ${origin} is not an origin such as https://shop.example.com`);
  }
  return problems;
}

/**
 * With real services, an ADMIN_PASSWORD that `.env.example` contains is refused: the file is in
 * the repository, so whatever it says is known to everyone who cloned it. `example` is its text
 * (undefined when the file is not there, as in a function image).
 */
export function examplePasswordProblem(password: string | undefined, example: string | undefined): string | undefined {
  const given = password?.trim().toLowerCase();
  if (!given || given.length < 4 || !example?.toLowerCase().includes(given)) return undefined;
  return (
    'ADMIN_PASSWORD (secret admin-password) is text of .env.example, which anyone who read the repository knows: ' +
    'with real services choose a password of your own, or unset it and run `npm run create-admin -- you@example.com`'
  );
}
