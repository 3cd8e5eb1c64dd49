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
 * the gateway's UI and its metrics stay unreachable from outside. The storefront (web/dist) is
 * served from files at `/` (scripts/nginx-web.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadStack, type Stack } from '../runtime/stack.js';
import { ERRORS, errorLocation } from './nginx-errors.js';
import {
  block,
  COMMON_HEADERS,
  cors,
  indent,
  LIMITS,
  locationBlock,
  methodMap,
  pathMethods,
  REAL_IP_INCLUDE,
  TIMEOUT_MARGIN_SECONDS,
  UPSTREAM_HIDDEN,
} from './nginx-parts.js';
import { locations, publicRoutes } from './nginx-routes.js';
import { EDGE_WEB_ROOT, webLocations } from './nginx-web.js';

export { EDGE_ERROR_STATUSES } from './nginx-errors.js';
export { CORS_ORIGINS_INCLUDE, REAL_IP_INCLUDE } from './nginx-parts.js';

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
  /** The built storefront (web/dist), served at `/`. */
  webRoot?: string;
}

export const OUTPUT = 'nginx/nginx.conf';

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
  webRoot: EDGE_WEB_ROOT,
};

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
    '# CORS_ORIGINS answers it too): hide theirs. A location with a proxy_hide_header of its own',
    '# inherits none of these, so it repeats them.',
    ...UPSTREAM_HIDDEN,
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
      ...UPSTREAM_HIDDEN,
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
    ...webLocations(o.webRoot),
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
    'gzip_types application/json text/javascript text/css;',
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
