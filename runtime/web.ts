import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build:web` puts the storefront and back office. */
export const WEB_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

/**
 * What the app needs and nothing more: its own scripts and styles (no inline code), its own API,
 * images from here or Cloudinary, no plugins; Stripe.js and its frames (the card form) from
 * js.stripe.com, which talks to api.stripe.com. Nginx sends the same (scripts/nginx-web.ts). The
 * runtime allows another Stripe.js and API instead when STRIPE_JS_URL / STRIPE_API_URL aim
 * elsewhere (the browser tests' fake).
 */
export function webCsp({ stripeJs = 'https://js.stripe.com', stripeApi = 'https://api.stripe.com' } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' ${stripeJs}`,
    "style-src 'self'",
    "img-src 'self' data: https://res.cloudinary.com",
    `connect-src 'self' ${stripeApi}`,
    `frame-src ${stripeJs}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
export const WEB_CSP = webCsp();

/** Paths that are never pages of the app: a miss there stays the API's JSON 404. */
export const NOT_PAGES = /^\/(api|function|async-function|system|media|assets|ui|metrics|healthz)(\/|$)/;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};
/** Text worth compressing, as Nginx's gzip_types does; images and fonts are compressed already. */
const TEXT = new Set(['.js', '.css', '.svg']);
const gzipped = promisify(gzip);

/**
 * The storefront at `/`: hashed files under `/assets/` cached for a year (a new build has new
 * names), and index.html, never cached, for every other page path (the app routes in the
 * browser). Files are read on each request, so a rebuild shows without a restart.
 */
export function mountWeb(app: FastifyInstance, { dir = WEB_DIST, stripeJsUrl, stripeApiUrl }: { dir?: string; stripeJsUrl?: string; stripeApiUrl?: string } = {}) {
  const origin = (url?: string) => (url ? new URL(url).origin : undefined);
  const csp = webCsp({ stripeJs: origin(stripeJsUrl), stripeApi: origin(stripeApiUrl) });
  // A hashed name never changes its content, so each file is compressed once (a new build has new names).
  const compressed = new Map<string, Promise<Buffer>>();
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const { file } = request.params;
    const type = TYPES[extname(file)];
    // Names vite makes: letters, digits, `-`, `_`, `.`; nothing that could leave the folder.
    if (!type || !/^[\w.-]+$/.test(file) || file.startsWith('.')) return reply.callNotFound();
    const body = await readFile(join(dir, 'assets', file)).catch(() => null);
    if (!body) return reply.callNotFound();
    reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff');
    // Without Nginx in front (npm start), a phone would get the scripts uncompressed: gzip them here too.
    if (!TEXT.has(extname(file))) return reply.send(body);
    reply.header('vary', 'accept-encoding');
    if (!/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.send(body);
    if (!compressed.has(file)) compressed.set(file, gzipped(body, { level: 9 }));
    return reply.header('content-encoding', 'gzip').send(await compressed.get(file));
  });
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0];
    // A page path has no file extension; /favicon.ico, /robots.txt and the like are misses.
    if (NOT_PAGES.test(path) || extname(path)) return reply.callNotFound();
    const page = await readFile(join(dir, 'index.html')).catch(() => null);
    if (!page) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The storefront is not built: run `npm run build:web` (npm start does it on a first run). The API is at /api/docs.\n');
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', csp)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(page);
  });
}
