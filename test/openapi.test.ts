import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { chromium } from 'playwright-core';
import t from 'tap';
import { referenceDocument } from './helpers/openapi.js';
import { startShop } from './helpers/shop.js';
import { targets } from './helpers/targets.js';
import { loadStack } from '../runtime/stack.js';

/** The API reference: generated from the function definitions, valid, complete, readable in a browser. */
const document = await referenceDocument();
const stack = loadStack('stack.yml');
type Operation = { operationId: string; summary: string; security: unknown[]; responses: Record<string, { content?: object }>; 'x-access': string };
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods as Record<string, Operation>).map(([method, op]) => ({ path, method, op })),
);

t.test('the document is valid OpenAPI 3.1', async (t) => {
  const result = await new Validator().validate(document);
  t.ok(result.valid, JSON.stringify(result.errors ?? null));
  t.equal(document.openapi, '3.1.0');
});

t.test('every public route is documented with its access, its answer and its refusals; internal functions are not', async (t) => {
  for (const spec of stack.functions) {
    const documented = operations.find(({ op }) => op.operationId === spec.name);
    if (!spec.route) {
      t.notOk(documented, `${spec.name}: internal, not in the public reference`);
      continue;
    }
    const { path, method, op } = documented!;
    t.equal(`${method.toUpperCase()} ${path}`, `${spec.route.method} ${spec.route.path.replace(/:(\w+)/g, '{$1}')}`, `${spec.name}: its route`);
    t.ok(op.summary, `${spec.name}: a summary`);
    t.same(op.security, op['x-access'] === 'public' ? [] : [{ bearer: [] }], `${spec.name}: who may call it`);
    t.ok(op.responses['500'], `${spec.name}: errors in the error shape`);
    if (op['x-access'] !== 'public') t.ok(op.responses['401'], `${spec.name}: 401 without a token`);
  }
  t.match(document.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer' });
  const placeOrder = operations.find(({ op }) => op.operationId === 'place-order')!.op as unknown as { parameters: { name: string; in: string; required: boolean }[] };
  t.match(placeOrder.parameters, [{ name: 'idempotency-key', in: 'header', required: true }], 'headers are documented');
});

t.test("the reference explains every field with realistic examples, at the package's version", async (t) => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  t.equal(document.info.version, version, "the package's version");
  const text = JSON.stringify(document);
  t.notMatch(text, /9007199254740991/, 'no ±Number.MAX_SAFE_INTEGER bounds or examples');
  type Schema = { description?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; allOf?: Schema[]; type?: string };
  const undescribed: string[] = [];
  const walk = (schema: Schema | undefined, where: string) => {
    if (!schema) return;
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (!property.description) undescribed.push(`${where}.${name}`);
      walk(property, `${where}.${name}`);
    }
    walk(schema.items, `${where}[]`);
    for (const part of [...(schema.anyOf ?? []), ...(schema.allOf ?? [])]) walk(part, where);
  };
  for (const { path, method, op } of operations) {
    const full = op as unknown as {
      parameters: { name: string; description?: string }[];
      requestBody?: { content: Record<string, { schema: Schema }> };
      responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
    };
    for (const parameter of full.parameters) if (!parameter.description) undescribed.push(`${method} ${path} ?${parameter.name}`);
    for (const { schema } of Object.values(full.requestBody?.content ?? {})) walk(schema, `${method} ${path} body`);
    for (const [status, answer] of Object.entries(full.responses)) {
      if (status.startsWith('2')) walk(answer.content?.['application/json']?.schema, `${method} ${path} ${status}`);
    }
  }
  t.same(undescribed, [], 'every parameter and field has a description');

  const listing = operations.find(({ op }) => op.operationId === 'list-products')!.op as unknown as { parameters: { name: string; description: string }[] };
  t.match(listing.parameters.find((p) => p.name === 'minPrice'), { description: /in cents/ });
  const admin = operations.find(({ op }) => op.operationId === 'list-all-orders')!.op as unknown as { parameters: { name: string; description: string }[] };
  for (const name of ['from', 'to']) {
    t.match(admin.parameters.find((p) => p.name === name), { description: /a bare date is that whole day in UTC.*without a zone is UTC|without a zone is UTC.*a bare date is that whole day in UTC/ }, `${name}: which day a bare date means`);
  }
});

t.test('the runtime serves the document and the reference page', async (t) => {
  const shop = await startShop(targets[0]);
  t.teardown(() => shop.close());
  const served = await shop.call('GET', '/api/openapi.json');
  t.equal(served.status, 200);
  t.same(served.body.paths, document.paths, 'the same document the tests check answers against');
  const page = await shop.call('GET', '/api/docs');
  t.equal(page.status, 200);
  t.match(page.headers.get('content-type'), /text\/html/);
  t.match(page.text, /\/api\/openapi\.json/);

  const executablePath = '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    t.comment('Chromium is not installed (apt-get install chromium): the browser check of /api/docs is SKIPPED');
    return;
  }
  // As the machine's probe starts it: no sandbox as root, nothing fetched from the network.
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.teardown(() => browser.close());
  const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await tab.goto(`${shop.url}/api/docs`);
  for (const summary of ['Place an order from your cart', 'Log in: an access token and a refresh token', 'List available products']) {
    await tab.getByText(summary, { exact: false }).first().waitFor({ timeout: 60_000 });
    t.pass(`the page lists "${summary}"`);
  }
  mkdirSync('.tap/artifacts', { recursive: true });
  await tab.screenshot({ path: '.tap/artifacts/api-docs.png' });
  t.comment('screenshot: .tap/artifacts/api-docs.png');
});
