import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '#platform/config.js';
import type { FunctionDefinition } from '#platform/define-function.js';
import { buildDeps, type Deps } from '#platform/deps.js';
import { HttpError } from '#platform/errors.js';
import { everyMethod, mountFunction, type Mount } from '#platform/function-app.js';
import { loadSigningKeys } from '#platform/keys.js';
import { createServer } from '#platform/server.js';
import { startFunctionProcesses } from './isolated.js';
import { mountMedia } from './media.js';
import type { FunctionSpec, Stack } from './stack.js';

export interface GatewayOptions {
  stack: Stack;
  config: Config;
  /** Each function in its own process (needs DATABASE_URL and REDIS_URL). */
  isolated?: boolean;
  /** The environment `config` was read from; isolated function processes get it too. */
  env?: Record<string, string | undefined>;
}

export interface Gateway {
  app: FastifyInstance;
  mode: 'in-process' | 'isolated';
  adapters: Record<string, string>;
  /** In-process mode only: the dependencies the functions share (tests look into the outbox). */
  deps?: Deps;
}

/** `?a=1&b=2` of a request, or nothing: passed on unchanged to the function. */
const queryOf = (request: FastifyRequest) => {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at);
};

const routeParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);

const gatewayMounts = (spec: FunctionSpec): Mount[] => [
  { url: `/function/${spec.name}`, anyMethod: true },
  { url: `/function/${spec.name}/*`, anyMethod: true },
  ...(spec.route ? [{ url: spec.route.path, anyMethod: false }] : []),
];

async function mountInProcess(app: FastifyInstance, stack: Stack, config: Config) {
  const deps = await buildDeps(config, app.log);
  app.addHook('onClose', () => deps.close());
  for (const spec of stack.functions) {
    const fn: FunctionDefinition = (await import(pathToFileURL(join(spec.handler, 'index.ts')).href)).default;
    if (spec.route && spec.route.method !== fn.method) {
      throw new Error(`${spec.name}: stack.yml routes ${spec.route.method} but the function answers ${fn.method}`);
    }
    mountFunction(app, spec.name, fn, deps, gatewayMounts(spec));
  }
  return deps;
}

async function mountIsolated(app: FastifyInstance, stack: Stack, config: Config, env: Record<string, string | undefined>) {
  const missing = Object.entries({ DATABASE_URL: config.databaseUrl, REDIS_URL: config.redisUrl })
    .filter(([, url]) => !url)
    .map(([name]) => name);
  if (missing.length) {
    throw new Error(
      `Isolated mode runs every function in its own process; embedded PGlite and the in-memory store serve one process only. Set ${missing.join(' and ')}.`,
    );
  }
  loadSigningKeys(config); // writes the development key once, before the processes race for it
  const processes = await startFunctionProcesses(stack.functions, env, app.log);
  app.addHook('onClose', () => processes.stop());

  await app.register(async (scope) => {
    // Bodies stream through untouched; the function process parses and limits them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(replyFrom);
    for (const spec of stack.functions) {
      const target = processes.urls.get(spec.name)!;
      const proxy = (rest: (request: FastifyRequest) => string) => (request: FastifyRequest, reply: FastifyReply) => {
        return reply.from(`${target}/${rest(request)}${queryOf(request)}`, {
          rewriteRequestHeaders: (_req, headers) => ({ ...headers, 'x-call-id': request.id, 'x-forwarded-for': request.ip }),
        });
      };
      const wildcard = (request: FastifyRequest) => (request.params as Record<string, string>)['*'] ?? '';
      scope.all(`/function/${spec.name}`, proxy(() => ''));
      scope.all(`/function/${spec.name}/*`, proxy(wildcard));
      if (spec.route) {
        const names = routeParams(spec.route.path);
        const positional = (request: FastifyRequest) =>
          names.map((n) => encodeURIComponent((request.params as Record<string, string>)[n])).join('/');
        scope.route({ method: spec.route.method, url: spec.route.path, exposeHeadRoute: false, handler: proxy(positional) });
      }
    }
  });
  return { adapters: { processes: `${stack.functions.length} function processes through templates/shop-node20/entry.ts` } };
}

/** A known public path called with a method no function answers there: 405 with Allow, as Nginx does. */
function mountWrongMethods(app: FastifyInstance, stack: Stack) {
  const methodsByPath = new Map<string, Set<string>>();
  for (const { route } of stack.functions) {
    if (route) methodsByPath.set(route.path, (methodsByPath.get(route.path) ?? new Set()).add(route.method));
  }
  for (const [url, methods] of methodsByPath) {
    const allow = [...methods].join(', ');
    app.route({
      method: everyMethod.filter((m) => !methods.has(m)),
      url,
      exposeHeadRoute: false,
      handler: async (request, reply) => {
        reply.header('allow', allow);
        throw new HttpError('METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${allow}`);
      },
    });
  }
}

/** `POST /async-function/<name>`: 202 at once; the result may be POSTed to X-Callback-Url. */
function mountAsync(app: FastifyInstance, stack: Stack) {
  const names = new Set(stack.functions.map((f) => f.name));
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const { name, '*': rest = '' } = request.params as { name: string; '*'?: string };
      if (!names.has(name)) throw new HttpError('NOT_FOUND', `No function named ${name}`);
      const callback = request.headers['x-callback-url'];
      if (callback !== undefined && !/^https?:\/\//.test(String(callback))) {
        throw new HttpError('VALIDATION_FAILED', 'X-Callback-Url must be an http(s) URL');
      }
      const { host: _host, 'content-length': _length, ...headers } = request.headers;
      setImmediate(async () => {
        const log = request.log;
        try {
          const result = await app.inject({
            method: 'POST',
            url: `/function/${name}${rest ? `/${rest}` : ''}${queryOf(request)}`,
            headers: { ...headers, 'x-call-id': request.id },
            payload: (request.body as Buffer | undefined) ?? '',
          });
          log.info({ function: name, status: result.statusCode }, 'async call finished');
          if (callback) {
            await fetch(String(callback), {
              method: 'POST',
              headers: {
                'content-type': String(result.headers['content-type'] ?? 'application/octet-stream'),
                'x-call-id': request.id,
                'x-function-name': name,
                'x-function-status': String(result.statusCode),
              },
              body: new Uint8Array(result.rawPayload),
            });
          }
        } catch (error) {
          log.error({ err: error, function: name }, 'async call or its callback failed');
        }
      });
      return reply.code(202).send();
    };
    scope.post('/async-function/:name', handler);
    scope.post('/async-function/:name/*', handler);
  });
}

/** `GET /healthz` and `GET /system/functions` (the OpenFaaS shape, from stack.yml). */
function mountSystem(app: FastifyInstance, stack: Stack) {
  app.get('/healthz', async () => 'OK');
  app.get('/system/functions', async () =>
    stack.functions.map((f) => ({
      name: f.name,
      image: f.image,
      namespace: 'openfaas-fn',
      envProcess: 'node entry.js',
      envVars: f.environment,
      labels: f.labels,
      annotations: f.annotations,
      replicas: 1,
      availableReplicas: 1,
    })),
  );
}

/**
 * The local OpenFaaS-compatible gateway: `/function/<name>`, `/async-function/<name>`,
 * `/system/functions`, `/healthz`, and the public `/api/…` routes from stack.yml, as Nginx
 * serves them in front of a real gateway.
 */
export async function createGateway({ stack, config, isolated = false, env = process.env }: GatewayOptions): Promise<Gateway> {
  const app = createServer({ logLevel: config.logLevel });
  let deps: Deps | undefined;
  let adapters: Record<string, string>;
  try {
    deps = isolated ? undefined : await mountInProcess(app, stack, config);
    adapters = deps?.adapters ?? (await mountIsolated(app, stack, config, env)).adapters;
    mountWrongMethods(app, stack);
    mountAsync(app, stack);
    mountSystem(app, stack);
    // Product images stored on local disk (no CLOUDINARY_URL) are served from here.
    mountMedia(app, join(config.dataDir, 'media'));
    await app.ready();
  } catch (error) {
    await app.close(); // stops what was started: connections, function processes
    throw error;
  }
  return { app, mode: isolated ? 'isolated' : 'in-process', adapters, deps };
}
