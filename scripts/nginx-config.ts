/**
 * Generates nginx/nginx.conf, the public gateway in front of the OpenFaaS gateway, from the
 * `com.shop.route` annotations in stack.yml, so the two can never drift apart.
 *
 *   npm run nginx              writes nginx/nginx.conf
 *   npm run nginx -- --check   exits 1 when the committed file is not what stack.yml gives
 *
 * Each public route becomes a location that rewrites to `/function/<name>/<params…>` (params by
 * position, as the OpenFaaS gateway passes them on) and proxies to the `gateway` upstream. Nothing
 * else is proxied: `/system/*`, `/function/*` and `/async-function/*` stay unreachable from outside.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadStack, type Stack } from '../runtime/stack.js';

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
}

export const OUTPUT = 'nginx/nginx.conf';

/** Defaults that suit the official nginx image (master as root, logs to the container's output). */
const defaults: Required<Omit<NginxOptions, 'tempDir'>> = {
  upstream: 'gateway:8080',
  listen: '80',
  pidFile: '/var/run/nginx.pid',
  errorLog: 'stderr',
  accessLog: '/dev/stdout',
};

/** Brute-force targets get a per-IP limit at the edge, on top of the functions' own per-email limit. */
const RATE_LIMITED = new Set(['/api/auth/login', '/api/auth/register']);

/** Errors nginx answers itself, in the error shape of API.md (never nginx's HTML pages). */
const ERRORS: { status: number; code: string; message: string; extra?: string[] }[] = [
  { status: 400, code: 'BAD_REQUEST', message: 'Malformed request' },
  { status: 404, code: 'NOT_FOUND', message: 'Nothing at this path' },
  // $allowed_methods comes from the route's location; nginx's own 405 (TRACE) has none, hence no warning.
  {
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
    message: 'This method is not allowed on this path (see the Allow header)',
    extra: ['uninitialized_variable_warn off;', 'add_header Allow $allowed_methods always;'],
  },
  { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  { status: 414, code: 'BAD_REQUEST', message: 'Request URI is too long' },
  { status: 429, code: 'RATE_LIMITED', message: 'Too many requests, slow down', extra: ['add_header Retry-After 1 always;'] },
  { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side' },
  { status: 502, code: 'UNAVAILABLE', message: 'The service is unavailable, try again shortly' },
  { status: 503, code: 'UNAVAILABLE', message: 'The service is unavailable, try again shortly' },
  { status: 504, code: 'UNAVAILABLE', message: 'The service did not answer in time' },
];

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

type Segment = { text: string } | { param: string };

interface PublicRoute {
  fn: string;
  method: string;
  path: string;
  segments: Segment[];
}

const isParam = (s: Segment): s is { param: string } => 'param' in s;

function parsePath(fn: string, path: string): Segment[] {
  // A narrow alphabet keeps every path safe to paste into an nginx regex unquoted.
  if (!/^\/api(\/([A-Za-z0-9._~-]+|:[A-Za-z_]\w*))+$/.test(path)) {
    throw new Error(`${fn}: route path "${path}" must start with /api/ and use plain segments and :params`);
  }
  return path.split('/').slice(1).map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { text: s }));
}

/** The shape of a path, param names left out: `/api/users/:id` and `/api/users/:userId` are one location. */
const shapeOf = (segments: Segment[]) => segments.map((s) => (isParam(s) ? ':' : s.text)).join('/');

/**
 * Static segments before params, segment by segment, as the runtime's router (find-my-way)
 * prefers them; nginx tries regex locations in this order and takes the first that matches.
 */
function bySpecificity(a: PublicRoute, b: PublicRoute) {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const [x, y] = [a.segments[i], b.segments[i]];
    if (isParam(x) !== isParam(y)) return isParam(x) ? 1 : -1;
    if (!isParam(x) && !isParam(y) && x.text !== y.text) return x.text < y.text ? -1 : 1;
  }
  return a.segments.length - b.segments.length || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method);
}

/** Does `route` also answer requests to every path of the location `shape`? */
const covers = (route: PublicRoute, shape: Segment[]) =>
  route.segments.length === shape.length &&
  route.segments.every((s, i) => isParam(s) || (!isParam(shape[i]) && shape[i].text === s.text));

/** `/function/<name>/<params by position>`, params taken from the location's named captures. */
function target(route: PublicRoute, shape: Segment[]) {
  const captures = shape.filter(isParam);
  const parts = route.segments.flatMap((s, i) => {
    if (!isParam(s)) return [];
    const here = shape[i];
    return [isParam(here) ? `$seg${captures.indexOf(here) + 1}` : here.text];
  });
  return ['/function', route.fn, ...parts].join('/');
}

function publicRoutes(stack: Stack): PublicRoute[] {
  const routes = stack.functions
    .filter((f) => f.route)
    .map((f) => ({ fn: f.name, method: f.route!.method, path: f.route!.path, segments: parsePath(f.name, f.route!.path) }));
  const seen = new Map<string, string>();
  for (const r of routes) {
    const key = `${r.method} ${shapeOf(r.segments)}`;
    if (seen.has(key)) throw new Error(`${r.fn} and ${seen.get(key)} both route ${r.method} ${r.path}`);
    seen.set(key, r.fn);
  }
  return routes.sort(bySpecificity);
}

interface Location {
  shape: Segment[];
  /**
   * What each method calls, sorted by method. A method this path has no route of its own for
   * goes to the most specific param route that also matches it, as the runtime's router does.
   */
  methods: { route: PublicRoute; uri: string }[];
}

function locations(routes: PublicRoute[]): Location[] {
  const shapes = new Map<string, Segment[]>();
  for (const r of routes) if (!shapes.has(shapeOf(r.segments))) shapes.set(shapeOf(r.segments), r.segments);
  return [...shapes.values()].map((shape) => {
    const methods = new Map<string, { route: PublicRoute; uri: string }>();
    for (const route of routes) {
      if (covers(route, shape) && !methods.has(route.method)) methods.set(route.method, { route, uri: target(route, shape) });
    }
    const byMethod = (m: string) => METHOD_ORDER.indexOf(m);
    return { shape, methods: [...methods.values()].sort((a, b) => byMethod(a.route.method) - byMethod(b.route.method)) };
  });
}

const indent = (lines: string[], by = '    ') => lines.map((l) => (l ? by + l : l));

function locationBlock(loc: Location, index: number): string[] {
  const params = loc.shape.filter(isParam);
  const regex = loc.shape.map((s) => (isParam(s) ? `(?<seg${params.indexOf(s) + 1}>[^/]+)` : s.text.replace(/\./g, '\\.')));
  const path = '/' + loc.shape.map((s) => (isParam(s) ? `:${s.param}` : s.text)).join('/');
  const match = params.length ? `~ ^/${regex.join('/')}$` : `= ${path}`;
  const variable = `$route_${index}`;
  const answers = loc.methods.map(({ route: r }) => `${r.method} ${r.fn}${shapeOf(r.segments) === shapeOf(loc.shape) ? '' : ` (via ${r.path})`}`);
  return [
    `# ${path}: ${answers.join(', ')}${params.length ? '' : ' (exact, so it wins over param paths)'}`,
    `location ${match} {`,
    ...indent([
      ...(!params.length && RATE_LIMITED.has(path) ? ['limit_req zone=auth burst=20 nodelay;'] : []),
      `set $allowed_methods "${loc.methods.map(({ route }) => route.method).join(', ')}";`,
      `if (${variable} = "") { return 405; }`,
      // rewrite (not proxy_pass with variables) so nginx re-escapes the decoded params and keeps the query.
      `rewrite ^ ${variable} break;`,
      'proxy_pass http://gateway;',
    ]),
    '}',
  ];
}

function methodMap(loc: Location, index: number): string[] {
  return [
    `map $request_method $route_${index} {`,
    ...indent(['default "";', ...loc.methods.map(({ route, uri }) => `${route.method} ${uri};`)]),
    '}',
  ];
}

/**
 * Error pages are internal URIs, not named locations: nginx cannot redirect a request it failed
 * to parse (400 on a bad request line) to a named location and would fall back to HTML.
 */
function errorLocation({ status, code, message, extra = [] }: (typeof ERRORS)[number]): string[] {
  const body = JSON.stringify({ error: { code, message } });
  return [
    `location = /_errors/${status} {`,
    ...indent([
      'internal;',
      // add_header here replaces the server's list, so X-Call-Id is repeated.
      'add_header X-Call-Id $call_id always;',
      ...extra,
      `return ${status} '${body}';`,
    ]),
    '}',
  ];
}

/** The complete nginx.conf for a stack; pure, so tests can render one pointing anywhere. */
export function renderNginxConfig(stack: Stack, options: NginxOptions = {}): string {
  const o = { ...defaults, ...options };
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

  const http = [
    'server_tokens off;',
    'default_type "application/json; charset=utf-8";',
    '',
    'log_format shop_json escape=json',
    ...indent(accessLog.map((l, i) => `'${l}'${i === accessLog.length - 1 ? ';' : ''}`)),
    `access_log ${o.accessLog} shop_json;`,
    ...temp,
    '',
    '# The call id follows a request through gateway, function and events; a malformed one is',
    '# replaced (the functions accept the same pattern, so both sides log the same id).',
    'map $http_x_call_id $call_id {',
    ...indent(['default $request_id;', '"~^[A-Za-z0-9_.:-]{1,128}$" $http_x_call_id;']),
    '}',
    '',
    'limit_req_zone $binary_remote_addr zone=auth:10m rate=10r/s;',
    'limit_req_status 429;',
    '',
    'upstream gateway {',
    ...indent([`server ${o.upstream};`, 'keepalive 32;']),
    '}',
    '',
    '# One map per public path: method -> function call; empty means 405.',
    ...locs.flatMap((loc, i) => methodMap(loc, i + 1)),
    '',
    'server {',
    ...indent([
      `listen ${o.listen};`,
      '# Image uploads are up to 5 MB plus multipart overhead; the functions limit JSON to 1 MB.',
      'client_max_body_size 6m;',
      'client_body_buffer_size 1m;',
      '',
      'proxy_http_version 1.1;',
      'proxy_set_header Connection "";',
      'proxy_set_header Host $host;',
      'proxy_set_header X-Call-Id $call_id;',
      'proxy_set_header X-Real-IP $remote_addr;',
      '# nginx is the edge: a client-sent X-Forwarded-For is dropped, not trusted (behind a load',
      '# balancer, use the realip module so $remote_addr is the client).',
      'proxy_set_header X-Forwarded-For $remote_addr;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_connect_timeout 5s;',
      '# Functions time out after 10s (exec_timeout); leave room for a cold start.',
      'proxy_send_timeout 30s;',
      'proxy_read_timeout 30s;',
      '# The function answers with the same id; hiding it avoids a doubled header.',
      'proxy_hide_header X-Call-Id;',
      'add_header X-Call-Id $call_id always;',
      '',
      ...ERRORS.map(({ status }) => `error_page ${status} /_errors/${status};`),
      '',
      'location = /healthz {',
      ...indent(['access_log off;', 'default_type text/plain;', "return 200 'OK';"]),
      '}',
      '',
      ...locs.flatMap((loc, i) => [...locationBlock(loc, i + 1), '']),
      '# Product images of the local image store (no CLOUDINARY_URL), served by the local runtime.',
      'location ~ "^/media/[a-f0-9]{16,64}\\.(jpg|png|webp)$" {',
      ...indent(['limit_except GET { deny all; }', 'proxy_pass http://gateway;']),
      '}',
      '',
      '# Everything else, /system, /function and /async-function included.',
      'location / {',
      ...indent(['return 404;']),
      '}',
      '',
      ...ERRORS.flatMap((e) => [...errorLocation(e), '']).slice(0, -1),
    ]),
    '}',
  ];

  return [
    '# GENERATED by scripts/nginx-config.ts from the routes in stack.yml. Do not edit:',
    '# change stack.yml and run `npm run nginx` (`npm run nginx -- --check` verifies).',
    'worker_processes auto;',
    `pid ${o.pidFile};`,
    `error_log ${o.errorLog} warn;`,
    '',
    'events {',
    ...indent(['worker_connections 1024;']),
    '}',
    '',
    'http {',
    ...indent(http),
    '}',
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
