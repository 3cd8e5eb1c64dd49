import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { z } from 'zod';
import type { FunctionDefinition } from '#platform/define-function.js';
import { loadStack } from '../runtime/stack.js';

/** The checks faas-cli would make on stack.yml, and the ones our runtime and Nginx rely on. */
const stack = loadStack('stack.yml');
const dnsLabel = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

t.equal(stack.provider.name, 'openfaas', 'provider is openfaas');

t.test('every function is well formed', async (t) => {
  for (const f of stack.functions) {
    t.match(f.name, dnsLabel, `${f.name}: a DNS label`);
    t.equal(f.lang, 'shop-node26', `${f.name}: built with our template`);
    t.ok(existsSync(join(f.handler, 'index.ts')), `${f.name}: handler folder exists`);
    t.equal(basename(f.handler), f.name, `${f.name}: folder named after the function`);
    t.match(f.image, new RegExp(`/${f.name}:`), `${f.name}: image named after the function`);
    t.ok(f.secrets.includes('database-url'), `${f.name}: gets the database secret`);
  }
});

t.test('every function folder is listed', async (t) => {
  const folders = readdirSync('functions', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  t.same(folders.sort(), stack.functions.map((f) => f.name).sort());
});

t.test('routes are unique and agree with the function definitions', async (t) => {
  const seen = new Map<string, string>();
  for (const f of stack.functions) {
    const fn: FunctionDefinition = (await import(pathToFileURL(join(f.handler, 'index.ts')).href)).default;
    if (!f.route) {
      t.equal(fn.access, 'internal', `${f.name}: only internal functions have no public route`);
      t.ok(f.topics.length || f.schedule, `${f.name}: an internal function reacts to events or runs on a schedule (topic annotation)`);
      t.ok(f.secrets.includes('internal-token'), `${f.name}: gets the internal token it demands`);
      continue;
    }
    t.same(f.topics, [], `${f.name}: public functions take no events`);
    t.not(fn.access, 'internal', `${f.name}: internal functions have no public route`);
    const key = `${f.route.method} ${f.route.path.replace(/:\w+/g, ':')}`;
    t.notOk(seen.has(key), `${f.name}: route ${key} is unique (also used by ${seen.get(key)})`);
    seen.set(key, f.name);
    t.match(f.route.path, /^\/api\//, `${f.name}: public routes live under /api`);
    t.equal(f.route.method, fn.method, `${f.name}: route method matches the function`);
    const routeParams = [...f.route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const fnParams = fn.params instanceof z.ZodObject ? Object.keys(fn.params.shape) : [];
    t.same(routeParams, fnParams, `${f.name}: route parameters in the order the function takes them`);
  }
});

t.test("each event-driven function's topic is the event its handler is defined on", async (t) => {
  for (const f of stack.functions) {
    const fn: FunctionDefinition = (await import(pathToFileURL(join(f.handler, 'index.ts')).href)).default;
    if (!f.topics.length) {
      t.equal(fn.on, undefined, `${f.name}: no topic, so no defineEventHandler({ on })`);
      continue;
    }
    t.same(f.topics, [fn.on], `${f.name}: topic ${f.annotations.topic} is its handler's on: ${fn.on}`);
  }
});
