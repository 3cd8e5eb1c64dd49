/** Where and how a process serves: addresses, logs, request limits and timeouts. */
import ipaddr from 'ipaddr.js';
import { duration, httpBaseOrEmpty, list, oneOf, origins, path, port, size, text, toggle } from './kinds.js';
import { setting } from './setting.js';

const addressOrCidr = (entry: string) => (ipaddr.isValid(entry) || isCidr(entry) ? entry : undefined);
const isCidr = (entry: string) => {
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
};

export const server = {
  port: setting({ env: 'PORT', kind: port, default: '8080', about: 'where the runtime listens' }),
  host: setting({ env: 'HOST', kind: text, default: 'localhost', about: 'the address the runtime listens on (`0.0.0.0` inside a container)' }),
  dataDir: setting({ env: 'DATA_DIR', kind: path, default: './.data', about: 'embedded data (PGlite, local images), the development signing key' }),
  demoCatalog: setting({
    env: 'DEMO_CATALOG',
    kind: toggle,
    default: 'on',
    about:
      '`off`: a first start on embedded defaults (no `DATABASE_URL`, `REDIS_URL`, `AMQP_URL`) on an empty data directory does not ' +
      'load the demo catalog of `npm run seed`; with real services it never does',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    kind: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    about: 'how much the logs say (pino levels)',
  }),
  logFormat: setting({
    env: 'LOG_FORMAT',
    kind: oneOf(['auto', 'json']),
    default: 'auto',
    unset: 'readable lines at a terminal, JSON otherwise',
    about: '`json` keeps JSON logs at a terminal too',
  }),
  runtimeMode: setting({
    env: 'RUNTIME_MODE',
    kind: oneOf(['in-process', 'isolated']),
    default: 'in-process',
    about: '`isolated`: one process per function, as `npm run start:isolated` (needs `DATABASE_URL` and `REDIS_URL`)',
  }),
  metrics: setting({
    env: 'METRICS',
    kind: toggle,
    default: 'on',
    about: '`off`: the runtime serves no `/metrics` and counts no calls (README, Metrics)',
  }),
  stackFile: setting({ env: 'STACK_FILE', kind: text, default: 'stack.yml', about: 'the stack file: functions, routes, topics, schedules' }),
  secretsDir: setting({ env: 'SECRETS_DIR', kind: path, default: '/var/openfaas/secrets', about: 'where secret files are read (see below)' }),
  corsOrigins: setting({
    env: 'CORS_ORIGINS',
    kind: origins,
    default: '',
    unset: 'none: no CORS headers',
    about:
      'browser origins allowed to call the API, comma-separated (`*` for any); the runtime answers for them, and so does nginx ' +
      '(`npm run start:nginx`, the `edge` image), which answers preflights itself and refuses other origins\' with 403',
  }),
  publicUrl: setting({
    env: 'PUBLIC_URL',
    kind: httpBaseOrEmpty,
    default: '',
    unset: 'images: site-relative `/media/…`; mail links: `http://localhost:<PORT>`',
    about: "the shop's public address, such as `https://shop.example.com`: prefix of local image URLs and the base of the links in mails",
  }),
  maxJsonBytes: setting({ env: 'MAX_JSON_SIZE', kind: size, default: '1mb', about: 'JSON body limit (413 beyond)' }),
  /** Seconds; unset ones follow the functions' exec_timeout (platform/server.ts). */
  timeouts: {
    request: setting({
      env: 'REQUEST_TIMEOUT',
      kind: duration({ zero: true }),
      unset: "the functions' `exec_timeout` (the longest in `stack.yml` for the runtime)",
      about: 'how long a whole request may take to arrive (else 408), as `10s`, `1m`, …',
    }),
    headers: setting({
      env: 'HEADERS_TIMEOUT',
      kind: duration({ zero: true }),
      unset: "the functions' `exec_timeout`, `10s` at most",
      about: 'how long the headers of a request may take to arrive (else 408)',
    }),
    keepAlive: setting({ env: 'KEEP_ALIVE_TIMEOUT', kind: duration({ zero: true }), default: '72s', about: 'how long an idle keep-alive connection is kept' }),
  },
  shutdownTimeout: setting({
    env: 'SHUTDOWN_TIMEOUT',
    kind: duration(),
    default: '15s',
    about: 'how long a stop waits for calls and deliveries in flight before the process exits anyway',
  }),
  nginxPort: setting({ env: 'NGINX_PORT', kind: port, default: '8000', only: '`npm run start:nginx`', about: 'where nginx listens (on `HOST`)' }),
  trustedProxies: setting({
    env: 'TRUSTED_PROXIES',
    kind: list(addressOrCidr, 'is not a comma-separated list of addresses or CIDRs such as 10.0.0.0/8'),
    default: '',
    unset: 'none: nginx is the edge',
    only: 'the `edge` image',
    about: "addresses or CIDRs of a load balancer in front of nginx, whose `X-Forwarded-For` then names the client",
  }),
};
