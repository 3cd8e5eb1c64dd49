import { readFileSync } from 'node:fs';
import t from 'tap';
import { EDGE_ERROR_STATUSES, OUTPUT, renderNginxConfig } from '../scripts/nginx-config.js';
import { loadStack } from '../runtime/stack.js';

/** The generated nginx.conf, read as text: routes, limits, error pages (nginx.test.ts runs it). */

t.test('the committed nginx config is what stack.yml gives', async (t) => {
  const committed = readFileSync(OUTPUT, 'utf8');
  const fresh = committed === renderNginxConfig(loadStack('stack.yml'));
  t.ok(fresh, fresh ? `${OUTPUT} matches stack.yml` : `${OUTPUT} is stale: run \`npm run nginx\` and commit it`);
});

t.test('routes with more than one shape', async (t) => {
  // A catalog-like stack: a static path, a param path with a suffix, and a method that only a
  // more general route answers (the router takes it, so nginx must too).
  const fn = (name: string, route: string) => {
    const [method, path] = route.split(' ');
    return { name, lang: '', handler: '', image: '', environment: {}, secrets: [], labels: {}, annotations: {}, topics: [], route: { method, path } };
  };
  const conf = renderNginxConfig({
    provider: { name: 'openfaas' },
    functions: [
      fn('get-product', 'GET /api/products/:id'),
      fn('upload-image', 'POST /api/products/:id/image'),
      fn('featured', 'GET /api/products/featured'),
      fn('update-product', 'PATCH /api/products/:id'),
    ],
  }, { upstream: '127.0.0.1:9' });
  t.match(conf, /server 127\.0\.0\.1:9;/);
  t.match(conf, /POST \/function\/upload-image\/\$seg1;/);
  t.match(conf, /PATCH \/function\/update-product\/featured;/, 'PATCH /api/products/featured reaches update-product');
  t.ok(conf.indexOf('location = /api/products/featured') < conf.indexOf('location ~ ^/api/products/'), 'static first');
  const bad = { provider: { name: 'openfaas' }, functions: [fn('x', 'GET /system/functions')] };
  t.throws(() => renderNginxConfig(bad), /must start with \/api\//);
  const twice = { provider: { name: 'openfaas' }, functions: [fn('a', 'GET /api/x/:id'), fn('b', 'GET /api/x/:other')] };
  t.throws(() => renderNginxConfig(twice), /b and a both route GET/);
});

t.test('limits and timeouts follow each function in stack.yml', async (t) => {
  const fn = (name: string, route: string, environment: Record<string, string> = {}, annotations: Record<string, string> = {}) => {
    const [method, path] = route.split(' ');
    return { name, lang: '', handler: '', image: '', environment, secrets: [], labels: {}, annotations, topics: [], route: { method, path } };
  };
  const conf = renderNginxConfig({
    provider: { name: 'openfaas' },
    functions: [
      fn('slow', 'POST /api/reports', { exec_timeout: '1m30s' }),
      fn('upload', 'POST /api/files', {}, { 'com.shop.max-body-size': '20m' }),
      fn('login', 'POST /api/auth/login'),
    ],
  });
  const location = (path: string) => conf.slice(conf.indexOf(`location = ${path} {`), conf.indexOf('}', conf.indexOf(`location = ${path} {`) + 30));
  t.match(location('/api/reports'), /proxy_read_timeout 95s;/, 'exec_timeout + 5 s');
  t.match(location('/api/files'), /client_max_body_size 20m;/, 'the annotation raises the body limit');
  t.notMatch(location('/api/reports'), /client_max_body_size/, 'others keep the general 1 MB');
  t.match(location('/api/auth/login'), /limit_req zone=auth/, '/api/auth/* has the tight limit');
  t.match(location('/api/auth/login'), /proxy_read_timeout 15s;/, 'OpenFaaS default exec_timeout (10 s) + 5 s');
  t.match(conf, /client_max_body_size 1m;/);
  const committed = readFileSync(OUTPUT, 'utf8');
  t.match(committed, /location ~ \^\/api\/products\/\(\?<seg1>\[\^\/\]\+\)\/image\$ \{\n\s+client_max_body_size 6m;/, 'image uploads take 6 MB');
  const bad = { provider: { name: 'openfaas' }, functions: [fn('x', 'POST /api/x', {}, { 'com.shop.max-body-size': 'lots' })] };
  t.throws(() => renderNginxConfig(bad), /must be nginx's form/);
});

t.test('every status nginx answers itself has an error page in the error shape', async (t) => {
  const conf = readFileSync(OUTPUT, 'utf8');
  // 494 (a header too large) is answered as 431, as the runtime answers it.
  for (const status of [400, 405, 408, 411, 413, 414, 494, 500, 501, 502, 503, 504, 505]) {
    t.ok(EDGE_ERROR_STATUSES.includes(status), `${status} is mapped`);
    t.match(conf, new RegExp(`error_page ${status} (=\\d* )?/_errors/\\d+;`), `error_page ${status}`);
  }
  for (const page of conf.split('location = /_errors/').slice(1)) {
    const status = page.match(/^\d+/)![0];
    const json = page.match(/\n\s*return (\d+) '([^']*)';\n/);
    t.equal(json?.[1], status, `/_errors/${status} answers ${status}`);
    t.match(JSON.parse(json![2]), { error: { code: /^[A-Z_]+$/, message: /./, callId: '$call_id' } }, `/_errors/${status} is JSON with the call id`);
  }
});
