/**
 * Image build step (the Dockerfile's ship stage runs `node warm.js` with NODE_COMPILE_CACHE set):
 * loads what a function's process loads, starting and connecting nothing, so that when it exits
 * Node's compile cache holds V8's compiled code for all of it. A container's start then reads
 * that instead of compiling the bundle again. The cache is keyed by Node's exact version and each
 * file's content, so a stale entry is never used. bundle.mjs bundles this beside the entry: what
 * both import is one chunk, the one the entry loads at start.
 * NODE_COMPILE_CACHE, not module.enableCompileCache() in the entry: the entry's static imports are
 * compiled before its first line runs, and the variable turns the cache on before any of them.
 */
import { createServer } from '#platform/server.js';
import './serve.js';
import './index.js';

// What the entry loads later, on demand: platform/connections.ts picks the store adapters from
// the URLs it is given, the rest waits for the first call that needs it (chunks of the bundle,
// or packages left out of it). PGlite and the broker client are not in the image.
await Promise.all([
  import('pg'),
  import('#adapters/sql/sql-store.js'),
  import('#adapters/sql/pg-database.js'),
  import('ioredis'),
  import('#adapters/redis-kv.js'),
  import('#adapters/redis-cart.js'),
  import('#adapters/jose-tokens.js'),
  import('#adapters/argon2-passwords.js'),
  import('#adapters/mongo/mongo-connect.js'),
  import('#adapters/local-images.js'),
  import('#adapters/smtp-mailer.js'),
  import('#adapters/mail-folder.js'),
  import('#adapters/stripe-payments.js'),
  import('stripe'),
  import('@node-rs/argon2'),
  import('@zxcvbn-ts/language-common'),
  import('image-size'),
  import('@fastify/multipart'),
]);

// fastify loads its logger and its schema compilers when a server is made and made ready.
const app = createServer({ logLevel: 'silent' });
await app.ready();
await app.close();
