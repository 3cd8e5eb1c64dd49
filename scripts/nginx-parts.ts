/** The pieces nginx.conf is made of: blocks, shared headers, one location per public path, CORS. */
import { bodySizeOfLocation, execTimeoutOfLocation, isParam, shapeOf, type Location } from './nginx-routes.js';

/**
 * Written at start-up by nginx/edge-env.sh beside nginx.conf: the allowed CORS origins (one map
 * entry a line, from CORS_ORIGINS) and the proxies trusted to name the client (TRUSTED_PROXIES).
 * Globs, so that no file means nothing allowed, nobody trusted.
 */
export const CORS_ORIGINS_INCLUDE = 'cors-origins*.conf';
export const REAL_IP_INCLUDE = 'real-ip*.conf';

/**
 * Per client address: `/api/auth/*` is where passwords are guessed, so it gets a few attempts a
 * minute, on top of the login function's own limits per email and per address.
 */
export const LIMITS = {
  api: { burst: 100 },
  auth: { rate: '10r/m', burst: 10 },
};

/** Added to each function's exec_timeout: the gateway answers a timed-out call itself first. */
export const TIMEOUT_MARGIN_SECONDS = 5;

/** Every answer, our own errors included; add_header in a location drops these, so each repeats them. */
export const COMMON_HEADERS = [
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

/** Headers of the upstream's answer that nginx sets itself (COMMON_HEADERS): hidden, so each comes once. */
export const UPSTREAM_HIDDEN = [
  'proxy_hide_header X-Call-Id;',
  'proxy_hide_header X-Content-Type-Options;',
  'proxy_hide_header Access-Control-Allow-Origin;',
  'proxy_hide_header Access-Control-Allow-Credentials;',
  'proxy_hide_header Access-Control-Expose-Headers;',
];

export const indent = (lines: string[], by = '    ') => lines.map((l) => (l ? by + l : l));

export const block = (head: string, body: string[]) => [`${head} {`, ...indent(body), '}'];


export function locationBlock(loc: Location, index: number): string[] {
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
export function pathMethods(locs: Location[]): string[] {
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

export function methodMap(loc: Location, index: number): string[] {
  return block(`map $request_method $route_${index}`, ['default "";', ...loc.methods.map(({ route, uri }) => `${route.method} ${uri};`)]);
}

/** CORS: the allowed origins come from CORS_ORIGINS at start-up (see CORS_ORIGINS_INCLUDE). */
export const cors = [
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
