/**
 * Generates nginx/nginx.conf, the public edge in front of the OpenFaaS gateway, from the
 * `com.shop.route` annotations in stack.yml, so the two can never drift apart.
 *
 *   npm run nginx              writes nginx/nginx.conf
 *   npm run nginx -- --check   exits 1 when the committed file is not what stack.yml gives
 *
 * Each public route becomes a location that rewrites to `/function/<name>/<params…>` (params by
 * position, as the OpenFaaS gateway passes them on) and proxies to the `gateway` upstream. Nothing
 * else is proxied but `/healthz`, `/media/*` and the API reference (`/api/openapi.json`, `/api/docs`):
 * `/system/*`, `/function/*`, `/async-function/*`,
 * the gateway's UI and its metrics stay unreachable from outside.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERRORS as SHOP_ERRORS, type ErrorCode } from '../domain/errors.js';
import { loadStack, type Stack } from '../runtime/stack.js';
import {
  bodySizeOfLocation,
  execTimeoutOfLocation,
  isParam,
  locations,
  publicRoutes,
  shapeOf,
  type Location,
} from './nginx-routes.js';

export interface NginxOptions {
  /** host:port of the OpenFaaS gateway. */
  upstream?: string;
  /** nginx `listen` value, such as `80` or `127.0.0.1:18080`. */
  listen?: string;
  pidFile?: string;
  /** `stderr` or a file. */
  errorLog?: string;
  accessLog?: string;
  /** A writable folder for request bodies and proxy buffers; nginx's compiled-in paths when unset. */
  tempDir?: string;
  /** Where the edge caches product images. */
  cacheDir?: string;
  /** `worker_processes`. */
  workers?: string;
  /** Per-IP rate of the API in general (the auth paths have their own, tighter one). */
  apiRate?: string;
}

export const OUTPUT = 'nginx/nginx.conf';

/**
 * Written at start-up by nginx/edge-env.sh beside nginx.conf: the allowed CORS origins (one map
 * entry a line, from CORS_ORIGINS) and the proxies trusted to name the client (TRUSTED_PROXIES).
 * Globs, so that no file means nothing allowed, nobody trusted.
 */
export const CORS_ORIGINS_INCLUDE = 'cors-origins*.conf';
export const REAL_IP_INCLUDE = 'real-ip*.conf';

/** Defaults that suit the official nginx image (master as root, logs to the container's output). */
const defaults: Required<Omit<NginxOptions, 'tempDir'>> = {
  upstream: 'gateway:8080',
  listen: '80',
  pidFile: '/var/run/nginx.pid',
  errorLog: 'stderr',
  accessLog: '/dev/stdout',
  cacheDir: '/var/cache/nginx/shop-media',
  // One worker per core; nginx workers are event loops and do not block on the upstream.
  workers: 'auto',
  // Generous for one address (an office behind NAT is one address); bursts of page loads pass.
  apiRate: '50r/s',
};

/**
 * Per client address: `/api/auth/*` is where passwords are guessed, so it gets a few attempts a
 * minute, on top of the login function's own limits per email and per address.
 */
const LIMITS = {
  api: { burst: 100 },
  auth: { rate: '10r/m', burst: 10 },
};

/** Added to each function's exec_timeout: the gateway answers a timed-out call itself first. */
const TIMEOUT_MARGIN_SECONDS = 5;

/** Every answer, our own errors included; add_header in a location drops these, so each repeats them. */
const COMMON_HEADERS = [
  'add_header X-Call-Id $call_id always;',
  'add_header X-Content-Type-Options nosniff always;',
  'add_header Referrer-Policy no-referrer always;',
  // The API serves JSON and images only: nothing may run from it, nobody may frame it.
  `add_header Content-Security-Policy "default-src 'none'; frame-ancestors 'none'" always;`,
  // Empty values add no header: these appear only for an allowed Origin (and, some, a preflight).
  'add_header Access-Control-Allow-Origin $cors_origin always;',
  'add_header Access-Control-Expose-Headers $cors_expose always;',
  'add_header Access-Control-Allow-Methods $cors_methods always;',
  'add_header Access-Control-Allow-Headers $cors_headers always;',
  'add_header Access-Control-Max-Age $cors_max_age always;',
  'add_header Vary Origin always;',
];

interface ErrorPage {
  code: ErrorCode;
  /** nginx's status, when it is not the code's own (domain/errors.ts). */
  status?: number;
  /** More precise than the code's message of the table. */
  message?: string;
  extra?: string[];
  from?: number;
  ownStatus?: boolean;
}

/** A code of the table as nginx returns it, `$call_id` and all. */
const errorBody = (code: ErrorCode, message: string = SHOP_ERRORS[code].message) =>
  JSON.stringify({ error: { code, message, callId: '$call_id' } });

/**
 * Every status nginx answers itself, in the shop's error shape (platform/errors.ts; never
 * nginx's HTML pages), with the codes and messages of the shop's table (domain/errors.ts): its refusals of a request (400,
 * 405 for TRACE, 408, 411, 413, 414, 494 as 431, 501 for an unknown Transfer-Encoding, 505), our
 * own 403/404/405/429, and the gateway's absence (500, 502-504).
 */
const ERROR_PAGES: ErrorPage[] = [
  { code: 'BAD_REQUEST' },
  { code: 'FORBIDDEN', message: 'This origin may not call the API' },
  { code: 'NOT_FOUND' },
  // $allowed_methods comes from the route's location; nginx refuses TRACE before choosing one,
  // so its 405 takes the methods from the path ($path_methods), and is 404 where nothing is
  // (ownStatus: the page's own status is answered, not always 405).
  {
    code: 'METHOD_NOT_ALLOWED',
    ownStatus: true,
    extra: [
      'uninitialized_variable_warn off;',
      'add_header Allow $allow always;',
      `if ($allow = "") { return ${SHOP_ERRORS.NOT_FOUND.status} '${errorBody('NOT_FOUND')}'; }`,
    ],
  },
  { code: 'REQUEST_TIMEOUT' },
  { code: 'LENGTH_REQUIRED' },
  { code: 'PAYLOAD_TOO_LARGE' },
  { status: 414, code: 'BAD_REQUEST', message: 'Request URI is too long' },
  // nginx's own 494 (a header over large_client_header_buffers) is 431, as the runtime answers it.
  { code: 'HEADERS_TOO_LARGE', from: 494 },
  { code: 'RATE_LIMITED', extra: ['add_header Retry-After 10 always;'] },
  { code: 'INTERNAL' },
  { code: 'NOT_IMPLEMENTED' },
  { status: 502, code: 'UNAVAILABLE' },
  { code: 'UNAVAILABLE' },
  { status: 504, code: 'UNAVAILABLE', message: 'The service did not answer in time' },
  { code: 'HTTP_VERSION_NOT_SUPPORTED' },
];

const ERRORS = ERROR_PAGES.map((page) => ({ ...page, status: page.status ?? SHOP_ERRORS[page.code].status }));

/** The statuses nginx answers in the error shape (tests go through all of them). */
export const EDGE_ERROR_STATUSES = ERRORS.flatMap(({ status, from }) => (from ? [status, from] : [status]));

const indent = (lines: string[], by = '    ') => lines.map((l) => (l ? by + l : l));

const block = (head: string, body: string[]) => [`${head} {`, ...indent(body), '}'];

function locationBlock(loc: Location, index: number): string[] {
  const params = loc.shape.filter(isParam);
  const regex = loc.shape.map((s) => (isParam(s) ? `(?<seg${params.indexOf(s) + 1}>[^/]+)` : s.text.replace(/\./g, '\\.')));
  const path = '/' + loc.shape.map((s) => (isParam(s) ? `:${s.param}` : s.text)).join('/');
  const match = params.length ? `~ ^/${regex.join('/')}$` : `= ${path}`;
  const variable = `$route_${index}`;
  const answers = loc.methods.map(({ route: r }) => `${r.method} ${r.fn}${shapeOf(r.segments) === shapeOf(loc.shape) ? '' : ` (via ${r.path})`}`);
  const timeout = execTimeoutOfLocation(loc) + TIMEOUT_MARGIN_SECONDS;
  const bodySize = bodySizeOfLocation(loc);
  return [
    `# ${path}: ${answers.join(', ')}${params.length ? '' : ' (exact, so it wins over param paths)'}`,
    ...block(`location ${match}`, [
      ...(path.startsWith('/api/auth/') ? [`limit_req zone=auth burst=${LIMITS.auth.burst} nodelay;`] : []),
      ...(bodySize ? [`client_max_body_size ${bodySize};`] : []),
      `proxy_read_timeout ${timeout}s;`,
      `proxy_send_timeout ${timeout}s;`,
      `set $allowed_methods "${loc.methods.map(({ route }) => route.method).join(', ')}";`,
      // Preflights are answered here, whatever the functions say about OPTIONS.
      'if ($preflight = granted) { return 204; }',
      'if ($preflight = refused) { return 403; }',
      `if (${variable} = "") { return 405; }`,
      // rewrite (not proxy_pass with variables) so nginx re-escapes the decoded params and keeps the query.
      `rewrite ^ ${variable} break;`,
      'proxy_pass http://gateway;',
    ]),
  ];
}

/** A path's methods, read from the raw request URI: for a 405 decided before any location (TRACE). */
function pathMethods(locs: Location[]): string[] {
  const entry = (loc: Location) => {
    const path = loc.shape.map((s) => (isParam(s) ? '[^/?]+' : s.text.replace(/\./g, '\\.'))).join('/');
    return `"~^/${path}(\\?.*)?$" "${loc.methods.map(({ route }) => route.method).join(', ')}";`;
  };
  // Regexes are tried in order: exact paths first, as their locations win over param paths.
  const ordered = [...locs.filter((l) => !l.shape.some(isParam)), ...locs.filter((l) => l.shape.some(isParam))];
  return block('map $request_uri $path_methods', [
    'default "";',
    ...ordered.map(entry),
    `"~^/media/[a-f0-9]{16,64}\\.(jpg|png|webp)(\\?.*)?$" "GET, HEAD";`,
    `"~^/api/(openapi\\.json|docs(/[^?]*)?)(\\?.*)?$" "GET, HEAD";`,
  ]);
}

function methodMap(loc: Location, index: number): string[] {
  return block(`map $request_method $route_${index}`, ['default "";', ...loc.methods.map(({ route, uri }) => `${route.method} ${uri};`)]);
}

/**
 * Error pages are internal URIs, not named locations: nginx cannot redirect a request it failed
 * to parse (400 on a bad request line) to a named location and would fall back to HTML.
 */
function errorLocation({ status, code, message, extra = [] }: (typeof ERRORS)[number]): string[] {
  // $call_id only ever holds [A-Za-z0-9_.:-], so it is safe inside a JSON string.
  return block(`location = /_errors/${status}`, ['internal;', ...COMMON_HEADERS, ...extra, `return ${status} '${errorBody(code, message)}';`]);
}

/** CORS: the allowed origins come from CORS_ORIGINS at start-up (see CORS_ORIGINS_INCLUDE). */
const cors = [
  '# CORS: an Origin listed in CORS_ORIGINS is echoed back; any other gets no CORS header at all.',
  ...block('map $http_origin $cors_origin', ['default "";', `include ${CORS_ORIGINS_INCLUDE};`]),
  '# A preflight (OPTIONS naming the method it wants) is answered here: granted, or 403 for an',
  '# origin not allowed.',
  ...block('map "$request_method $http_access_control_request_method $cors_origin" $preflight', [
    'default "";',
    '"~^OPTIONS \\S+ $" refused;',
    '"~^OPTIONS \\S+ \\S" granted;',
  ]),
  ...block('map $cors_origin $cors_expose', ['default "X-Call-Id, Retry-After, Allow";', '"" "";']),
  // Lazily evaluated when the answer is sent, after the location set $allowed_methods.
  ...block('map $preflight $cors_methods', ['default "";', 'granted $allowed_methods;']),
  ...block('map $preflight $cors_headers', ['default "";', 'granted "Authorization, Content-Type, Idempotency-Key, X-Call-Id";']),
  ...block('map $preflight $cors_max_age', ['default "";', 'granted 600;']),
];

/** The complete nginx.conf for a stack; pure, so tests can render one pointing anywhere. */
export function renderNginxConfig(stack: Stack, options: NginxOptions = {}): string {
  // An option given as undefined keeps its default.
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...defaults, ...given } as typeof defaults & NginxOptions;
  const locs = locations(publicRoutes(stack));
  const temp = o.tempDir
    ? ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${o.tempDir}/${k};`)
    : [];
  const accessLog = [
    '{"time":"$time_iso8601","callId":"$call_id","remote":"$remote_addr","method":"$request_method",',
    '"uri":"$request_uri","status":$status,"bytes":$body_bytes_sent,"duration":$request_time,',
    '"upstream":"$upstream_addr","upstreamStatus":"$upstream_status","upstreamTime":"$upstream_response_time",',
    '"userAgent":"$http_user_agent"}',
  ];
  const errors = ERRORS.map((e) => errorLocation(e));

  const server = [
    `listen ${o.listen};`,
    '# Behind a load balancer or ingress (TRUSTED_PROXIES), the client is the one its X-Forwarded-For names.',
    `include ${REAL_IP_INCLUDE};`,
    '# JSON bodies are at most 1 MB (the functions say so too); image uploads ask for more',
    '# (annotation com.shop.max-body-size). A refused body is still read and thrown away for up',
    '# to lingering_time, so a client that keeps writing gets to read its 413.',
    'client_max_body_size 1m;',
    'client_body_buffer_size 1m;',
    'lingering_time 30s;',
    '',
    '# Keep-alive to the gateway: a new TCP connection per call would cost more than the call.',
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_set_header Host $host;',
    'proxy_set_header X-Call-Id $call_id;',
    'proxy_set_header X-Real-IP $remote_addr;',
    '# A client-sent X-Forwarded-For is dropped, not trusted, so nobody picks the address the limits',
    '# count ($remote_addr: the peer, or the client a trusted proxy names).',
    'proxy_set_header X-Forwarded-For $remote_addr;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    'proxy_connect_timeout 5s;',
    `# Each route waits its functions' exec_timeout + ${TIMEOUT_MARGIN_SECONDS}s (set per location below).`,
    'proxy_read_timeout 15s;',
    'proxy_send_timeout 15s;',
    '# The function answers with the same id, and CORS is decided here (a runtime given',
    '# CORS_ORIGINS answers it too): hide theirs.',
    'proxy_hide_header X-Call-Id;',
    'proxy_hide_header Access-Control-Allow-Origin;',
    'proxy_hide_header Access-Control-Allow-Credentials;',
    'proxy_hide_header Access-Control-Expose-Headers;',
    ...COMMON_HEADERS,
    '',
    `limit_req zone=api burst=${LIMITS.api.burst} nodelay;`,
    ...ERRORS.map(({ status, from, ownStatus }) => `error_page ${from ? `${from} =${status}` : status}${ownStatus ? ' =' : ''} /_errors/${status};`),
    '',
    '# 200 when the gateway behind answers its own health check; 502 JSON when it does not.',
    ...block('location = /healthz', ['access_log off;', 'proxy_pass http://gateway;']),
    '',
    ...locs.flatMap((loc, i) => [...locationBlock(loc, i + 1), '']),
    '# Product images of the local image store (no CLOUDINARY_URL). Names are random and never',
    '# reused, so a name always means the same bytes: cached here and by browsers for a year.',
    ...block('location ~ "^/media/[a-f0-9]{16,64}\\.(jpg|png|webp)$"', [
      'set $allowed_methods "GET, HEAD";',
      'if ($request_method !~ ^(GET|HEAD)$) { return 405; }',
      'proxy_cache media;',
      'proxy_cache_valid 200 30d;',
      'proxy_cache_lock on;',
      'proxy_hide_header Cache-Control;',
      ...COMMON_HEADERS,
      'add_header Cache-Control "public, max-age=31536000, immutable";',
      'add_header X-Cache-Status $upstream_cache_status always;',
      'proxy_pass http://gateway;',
    ]),
    '',
    '# The API reference the runtime generates: the document, and the page that shows it (its own',
    '# script and styles, so its own Content-Security-Policy; nothing may frame it either).',
    ...block('location ~ "^/api/(openapi\\.json|docs(/.*)?)$"', [
      'set $allowed_methods "GET, HEAD";',
      'if ($request_method !~ ^(GET|HEAD)$) { return 405; }',
      ...COMMON_HEADERS.filter((header) => !header.includes('Content-Security-Policy')),
      `add_header Content-Security-Policy "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'" always;`,
      'proxy_pass http://gateway;',
    ]),
    '',
    '# Everything else: /system, /function, /async-function, the gateway UI (/ui) and /metrics.',
    ...block('location /', ['return 404;']),
    '',
    ...errors.flatMap((e) => [...e, '']).slice(0, -1),
  ];

  const http = [
    'server_tokens off;',
    'default_type "application/json; charset=utf-8";',
    '# Clients of an API keep their connection busy: closing it every 1,000 requests (the default)',
    '# only makes them reconnect, and a client that already sent its next request sees a reset.',
    'keepalive_requests 10000;',
    '',
    'log_format shop_json escape=json',
    ...indent(accessLog.map((l, i) => `'${l}'${i === accessLog.length - 1 ? ';' : ''}`)),
    '# Buffered: one write per 64 KB or per second, not one per request (lines may lag by a second).',
    `access_log ${o.accessLog} shop_json buffer=64k flush=1s;`,
    ...temp,
    '',
    'gzip on;',
    'gzip_types application/json;',
    'gzip_min_length 1024;',
    'gzip_proxied any;',
    'gzip_vary on;',
    '',
    '# The call id follows a request through gateway, function and events; a malformed one is',
    '# replaced (the functions accept the same pattern, so both sides log the same id).',
    ...block('map $http_x_call_id $call_id', ['default $request_id;', '"~^[A-Za-z0-9_.:-]{1,128}$" $http_x_call_id;']),
    '',
    ...cors,
    '',
    `limit_req_zone $binary_remote_addr zone=api:10m rate=${o.apiRate};`,
    `limit_req_zone $binary_remote_addr zone=auth:10m rate=${LIMITS.auth.rate};`,
    'limit_req_status 429;',
    '',
    `proxy_cache_path ${o.cacheDir} levels=1:2 keys_zone=media:10m max_size=1g inactive=30d use_temp_path=off;`,
    '',
    ...block('upstream gateway', [`server ${o.upstream};`, 'keepalive 64;', 'keepalive_requests 10000;', 'keepalive_timeout 60s;']),
    '',
    '# One map per public path: method -> function call; empty means 405.',
    ...locs.flatMap((loc, i) => methodMap(loc, i + 1)),
    '',
    '# Allow of a 405: the methods of the location, or of the path when nginx refused the method',
    '# before choosing a location (TRACE); empty where no route is (that 405 becomes a 404).',
    ...pathMethods(locs),
    ...block('map $allowed_methods $allow', ['"" $path_methods;', 'default $allowed_methods;']),
    '',
    ...block('server', server),
  ];

  return [
    '# GENERATED by scripts/nginx-config.ts from the routes in stack.yml. Do not edit:',
    '# change stack.yml and run `npm run nginx` (`npm run nginx -- --check` verifies).',
    `worker_processes ${o.workers};`,
    `pid ${o.pidFile};`,
    `error_log ${o.errorLog} warn;`,
    '',
    ...block('events', ['worker_connections 4096;']),
    '',
    ...block('http', http),
    '',
  ].join('\n');
}

/** `node --import tsx scripts/nginx-config.ts [--check]` */
function main() {
  const wanted = renderNginxConfig(loadStack('stack.yml'));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== wanted) {
      console.error(`${OUTPUT} is out of date with stack.yml: run \`npm run nginx\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${OUTPUT} matches stack.yml`);
    return;
  }
  writeFileSync(OUTPUT, wanted);
  console.log(`wrote ${OUTPUT}`);
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) main();
