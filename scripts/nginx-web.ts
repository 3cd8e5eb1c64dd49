/**
 * The storefront's locations in nginx.conf: files from the folder `npm run build:web` fills
 * (web/dist; in the edge image /usr/share/nginx/shop), index.html for every page path, and the
 * 404 that keeps every other path the API's JSON refusal.
 */
import { NOT_PAGES, WEB_CSP } from '../runtime/web.js';
import { block, COMMON_HEADERS } from './nginx-parts.js';

/** Where the edge image keeps the built storefront (Dockerfile, target edge). */
export const EDGE_WEB_ROOT = '/usr/share/nginx/shop';

const GET_ONLY = ['set $allowed_methods "GET, HEAD";', 'if ($request_method !~ ^(GET|HEAD)$) { return 405; }'];
const WITHOUT_CSP = COMMON_HEADERS.filter((header) => !header.includes('Content-Security-Policy'));

/** The same paths the runtime keeps for itself (runtime/web.ts), in nginx's regex form. */
const reserved = NOT_PAGES.source.replace(/\\\//g, '/');

export function webLocations(webRoot: string): string[] {
  return [
    '# The storefront (web/, built by `npm run build:web`): hashed files, cached for a year, a new',
    '# build has new names. ^~: no regex location below applies to them.',
    ...block('location ^~ /assets/', [
      ...GET_ONLY,
      `root ${webRoot};`,
      ...block('types', ['text/javascript js;', 'text/css css;', 'image/svg+xml svg;', 'image/png png;', 'image/webp webp;', 'font/woff2 woff2;']),
      'charset utf-8;',
      'charset_types text/javascript text/css;',
      'try_files $uri =404;',
      ...COMMON_HEADERS,
      'add_header Cache-Control "public, max-age=31536000, immutable" always;',
    ]),
    '',
    '# Everything else under these is the gateway\'s (/system, /function, /async-function, its UI, /metrics)',
    '# or an API path no route has: 404 JSON, never the storefront.',
    ...block(`location ~ "${reserved}"`, ['return 404;']),
    '# A file the build does not make (/favicon.ico, /robots.txt): 404.',
    ...block('location ~ "\\.[A-Za-z0-9]+$"', ['return 404;']),
    '',
    '# Every page path answers index.html: the app routes in the browser. Never cached, so a new',
    '# build is seen at once; its Content-Security-Policy allows the app and nothing else.',
    ...block('location /', [
      ...GET_ONLY,
      `root ${webRoot};`,
      ...block('types', ['text/html html;']),
      'charset utf-8;',
      'try_files /index.html =404;',
      ...WITHOUT_CSP,
      `add_header Content-Security-Policy "${WEB_CSP}" always;`,
      'add_header Cache-Control "no-cache" always;',
    ]),
  ];
}
