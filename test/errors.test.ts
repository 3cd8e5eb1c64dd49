import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ERRORS, genericCode, isErrorCode, type ErrorCode } from '../domain/errors.js';
import { createServer } from '../platform/server.js';
import { OUTPUT } from '../scripts/nginx-config.js';
import { checkAgainstReference, referenceDocument } from './helpers/openapi.js';

/** The one table of error codes (domain/errors.ts): what it holds, and who answers from it. */
const codes = Object.keys(ERRORS) as ErrorCode[];

t.test('every code of the table is a 4xx or 5xx with a message; at most one generic code per status', async (t) => {
  for (const code of codes) {
    t.match(code, /^[A-Z][A-Z_]*$/, `${code} is upper snake case`);
    t.ok(ERRORS[code].status >= 400 && ERRORS[code].status < 600, `${code} answers ${ERRORS[code].status}`);
    t.ok(ERRORS[code].message, `${code} has a default message`);
  }
  for (const status of new Set(codes.map((code) => ERRORS[code].status))) {
    const generic = codes.filter((code) => ERRORS[code].status === status && 'generic' in ERRORS[code]);
    t.ok(generic.length <= 1, `${status}: ${generic.join(', ') || 'no generic code'}`);
  }
  // The statuses the framework, node's HTTP parser and nginx answer on their own.
  for (const status of [400, 401, 403, 404, 405, 408, 409, 411, 413, 415, 429, 431, 500, 501, 503, 505]) {
    t.equal(ERRORS[genericCode(status)!]?.status, status, `${status} has the generic code ${genericCode(status)}`);
  }
  t.equal(genericCode(422), undefined, 'business rules have no generic code');
});

t.test('every code raised in the source is in the table', async (t) => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
      return path.endsWith('.ts') ? [path] : [];
    });
  const raised = new Set<string>();
  for (const file of ['platform', 'domain', 'adapters', 'functions', 'runtime', 'scripts', 'templates'].flatMap(files)) {
    for (const [, code] of readFileSync(file, 'utf8').matchAll(/(?:DomainError|HttpError)\(\s*'([^']*)'/g)) raised.add(code);
  }
  t.ok(raised.size > 20, `${raised.size} codes raised`);
  for (const code of raised) t.ok(isErrorCode(code), `${code} is in the table`);
});

t.test("the framework's own refusals answer the generic code of their status, never a business code", async (t) => {
  const app = createServer({ logLevel: 'silent' });
  t.teardown(() => app.close());
  const refusal = (statusCode: number) => Object.assign(new Error(`refused with ${statusCode}`), { statusCode, code: 'FST_SOMETHING' });
  app.get('/refuse/:status', async (request) => {
    throw refusal(Number((request.params as { status: string }).status));
  });
  app.post('/echo', async (request) => request.body);
  await app.ready();

  // 403 shares its status with WRONG_PASSWORD, 409 with EMAIL_TAKEN and SLUG_TAKEN.
  for (const [status, code] of [[403, 'FORBIDDEN'], [404, 'NOT_FOUND'], [409, 'CONFLICT'], [413, 'PAYLOAD_TOO_LARGE'], [415, 'UNSUPPORTED_MEDIA_TYPE']] as const) {
    const answer = await app.inject({ method: 'GET', url: `/refuse/${status}` });
    t.equal(answer.statusCode, status);
    t.same(answer.json(), { error: { code, message: `refused with ${status}` } }, `a framework ${status} is ${code}`);
  }
  const odd = await app.inject({ method: 'GET', url: '/refuse/406' });
  t.equal(odd.statusCode, 400, 'a status the table has no code for is a 400');
  t.equal(odd.json().error.code, 'VALIDATION_FAILED');

  // fastify's own refusals, as a client meets them.
  const notJson = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
  t.match({ status: notJson.statusCode, body: notJson.json() }, { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'Request body is not valid JSON' } } });
  const tooBig = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: `"${'x'.repeat(1024 * 1024 + 1)}"` });
  t.match({ status: tooBig.statusCode, body: tooBig.json() }, { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: ERRORS.PAYLOAD_TOO_LARGE.message } } });
  const text = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
  t.match({ status: text.statusCode, body: text.json() }, { status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
  const nothing = await app.inject({ method: 'GET', url: '/nowhere' });
  t.match({ status: nothing.statusCode, body: nothing.json() }, { status: 404, body: { error: { code: 'NOT_FOUND' } } });
});

t.test("nginx's error bodies take their codes and messages from the table", async (t) => {
  const conf = readFileSync(OUTPUT, 'utf8');
  const bodies = [...conf.matchAll(/return (\d+) '(\{"error":[^']*)'/g)];
  t.ok(bodies.length >= 15, `${bodies.length} error bodies`);
  for (const [, status, body] of bodies) {
    const { code, message } = JSON.parse(body).error as { code: string; message: string };
    t.ok(isErrorCode(code), `${status}: ${code} is in the table`);
    // Where nginx's status is not the code's own (414, 502, 504), and on the CORS refusal (403),
    // the page says more than the table's message.
    if (isErrorCode(code) && ERRORS[code].status === Number(status) && code !== 'FORBIDDEN') {
      t.equal(message, ERRORS[code].message, `${status}: the table's message`);
    }
  }
});

t.test('the API reference lists, per status, the codes of the table an operation may answer', async (t) => {
  const document = await referenceDocument();
  type Response = { description: string; content?: { 'application/json': { schema: { allOf?: [unknown, { properties: { error: { properties: { code: { enum: string[] } } } } }] } } } };
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods as Record<string, { responses: Record<string, Response> }>)) {
      for (const [status, answer] of Object.entries(op.responses).filter(([status]) => Number(status) >= 400)) {
        const listed = answer.content?.['application/json'].schema.allOf?.[1].properties.error.properties.code.enum ?? [];
        t.ok(listed.length, `${method} ${path} ${status} lists its codes`);
        for (const code of listed) {
          // The edge answers UNAVAILABLE with the proxy's own 502 and 504 too; a lookup of what no
          // zone covers is a 404 where its operation says so (errors: { CODE: { status } }).
          const restated = code === 'OUTSIDE_DELIVERY_AREA' && status === '404' && /^\/api\/delivery\/(quote|slots)$/.test(path);
          const ok = isErrorCode(code) && (ERRORS[code].status === Number(status) || code === 'UNAVAILABLE' || restated);
          if (!ok) t.fail(`${method} ${path} ${status}: ${code} is not a code of that status`);
        }
      }
    }
  }
  const register = (document.paths['/api/auth/register'] as { post: { responses: Record<string, Response> } }).post.responses;
  t.match(register['409'].description, /`EMAIL_TAKEN`: This email is already registered \(in any letter case\)/);
  const error = (code: string) => ({ error: { code, message: 'x' } });
  await t.resolves(checkAgainstReference('POST', '/api/auth/register', 409, error('EMAIL_TAKEN'), 'application/json'));
  await t.rejects(checkAgainstReference('POST', '/api/auth/register', 409, error('SLUG_TAKEN'), 'application/json'), /does not allow/, 'an answer with a code the operation does not list fails the tests');
});
