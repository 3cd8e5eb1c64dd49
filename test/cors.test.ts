import t from 'tap';
import { startShop } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

/** CORS on the runtime (runtime/gateway/cors.ts); the edge's is in nginx.test.ts. */

t.test('CORS: the origins of CORS_ORIGINS may call from a browser; others are not granted', async (t) => {
  const shop = await startShop(targets[0], { CORS_ORIGINS: 'https://shop.example.com, http://localhost:5173' });
  t.teardown(() => shop.close());
  const preflight = await shop.call('OPTIONS', '/api/cart/items', {
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
  t.equal(preflight.status, 204);
  t.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  t.match(preflight.headers.get('access-control-allow-methods'), /POST/);
  t.match(preflight.headers.get('access-control-allow-headers'), /authorization/);
  const simple = await shop.call('GET', '/api/products', { headers: { origin: 'https://shop.example.com' } });
  t.equal(simple.headers.get('access-control-allow-origin'), 'https://shop.example.com');
  t.match(simple.headers.get('access-control-expose-headers'), /x-call-id/);
  const stranger = await shop.call('OPTIONS', '/api/cart/items', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  t.equal(stranger.headers.get('access-control-allow-origin'), null, 'another origin is not granted');
  t.equal((await shop.call('GET', '/api/products', { headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin'), null);
  const plain = await shop.call('OPTIONS', '/api/cart/items');
  t.equal(plain.status, 405, 'an OPTIONS that is no preflight is still 405');
});
