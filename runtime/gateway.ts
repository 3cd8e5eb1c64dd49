import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import cors from '@fastify/cors';
import replyFrom from '@fastify/reply-from';
import apiReference from '@scalar/fastify-api-reference';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QueueFullError, type MessageBus } from '#domain/bus.js';
import type { KeyValueStore, Outbox } from '#domain/ports.js';
import { parseDuration, publicEnvironment, type Config } from '#platform/config.js';
import { openBus, openKv, openStore } from '#platform/connections.js';
import type { FunctionDefinition } from '#platform/define-function.js';
import { buildDeps, type Deps } from '#platform/deps.js';
import { HttpError } from '#platform/errors.js';
import { everyMethod, mountFunction, type Mount } from '#platform/function-app.js';
import { loadSigningKeys } from '#platform/keys.js';
import { createServer, serverTimeouts } from '#platform/server.js';
import { asyncQueue, type AsyncCall } from './async-worker.js';
import { callbackRefusal } from './callback-url.js';
import { startEvents, type Events } from './events.js';
import { startFunctionProcesses } from './isolated.js';
import { mountMedia } from './media.js';
import { mountMetrics } from './metrics-plugin.js';
import { createRuntimeMetrics, type RuntimeMetrics } from './metrics.js';
import { apiDocument, loadDefinitions, type Definitions } from './reference.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import type { FunctionSpec, Stack } from './stack.js';

export interface GatewayOptions {
  stack: Stack;
  config: Config;
  /** Each function in its own process (needs DATABASE_URL and REDIS_URL). */
  isolated?: boolean;
  /** The environment `config` was read from; isolated function processes get it too. */
  env?: Record<string, string | undefined>;
  /** Readable log lines instead of JSON (npm start at a terminal). */
  pretty?: boolean;
}

export interface Gateway {
  app: FastifyInstance;
  mode: 'in-process' | 'isolated';
  adapters: Record<string, string>;
  /** In-process mode only: the dependencies the functions share (tests look into the outbox). */
  deps?: Deps;
  bus: MessageBus;
  /** Listens, then starts the event backbone, which calls functions through this address. Answers the URL. */
  listen(options: { port: number; host: string }): Promise<string>;
  /** Once listening: the relay, and (unless CONNECTOR=off) the connector and the async worker. */
  events?: Events;
  /** What `GET /metrics` shows. */
  metrics: RuntimeMetrics;
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

/** Where the embedded shop's first admin comes from when nobody configured one. */
export const EMBEDDED_ADMIN = 'admin@shop.local';

/**
 * A shop nobody can administer says how to become admin. On embedded defaults it makes the first
 * admin with a random password, shown in this log once; with real services no default password
 * ever exists: the log names the command that makes one.
 */
async function firstAdmin(deps: Deps, log: FastifyInstance['log']) {
  if (await deps.store.users.countAdmins()) return;
  if (deps.config.databaseUrl) {
    log.warn('no admin account yet: run `npm run create-admin -- you@example.com`, or set ADMIN_EMAIL and ADMIN_PASSWORD');
    return;
  }
  const password = randomBytes(12).toString('base64url');
  await deps.accounts.ensureAdmin(EMBEDDED_ADMIN, password);
  log.warn(
    `created the first admin ${EMBEDDED_ADMIN} with the one-time password ${password} ` +
      '(shown once, embedded defaults only): log in, then change it with PATCH /api/users/me',
  );
}

async function mountInProcess(app: FastifyInstance, definitions: Definitions, config: Config): Promise<Deps> {
  const deps = await buildDeps(config, app.log);
  app.addHook('onClose', () => deps.close());
  await firstAdmin(deps, app.log);
  for (const { spec, fn } of definitions) mountFunction(app, spec.name, fn, deps, gatewayMounts(spec));
  return deps;
}

/**
 * `GET /api/openapi.json`, made from the function definitions when the runtime starts, and the
 * reference page at `/api/docs` (Scalar, served from here: it works offline).
 */
async function mountReference(app: FastifyInstance, definitions: Definitions) {
  const document = apiDocument(definitions);
  app.get('/api/openapi.json', async () => document);
  await app.register(apiReference, {
    routePrefix: '/api/docs',
    // Every operation in sight, nothing fetched from elsewhere (fonts), no vendor buttons.
    configuration: {
      url: '/api/openapi.json',
      title: 'Food shop API',
      defaultOpenAllTags: true,
      withDefaultFonts: false,
      showDeveloperTools: 'never',
      hideClientButton: true,
    },
    logLevel: 'warn',
  });
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
  // The functions write to the outbox in their own processes; the relay here publishes it.
  const { store } = await openStore(config);
  app.addHook('onClose', () => store.close());
  // Where the schedules take their turns (in-process, the functions' own store).
  const { kv } = await openKv(config);
  app.addHook('onClose', () => kv.close());
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
  return {
    outbox: store.outbox,
    kv,
    adapters: { processes: `${stack.functions.length} function processes through templates/shop-node26/entry.ts` },
  };
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

/** Headers a function must not see from the outer request: the gateway sets them anew. */
const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'x-callback-url', 'x-forwarded-for']);

/**
 * `POST /async-function/<name>`: the call waits in a durable queue (RabbitMQ, or the in-process
 * bus) and is answered 202 once the queue has it; the async worker makes it and POSTs the
 * answer to X-Callback-Url. It is for the platform and never public (Nginx does not expose it):
 * the queue is bounded (429 beyond it), and callbacks to the gateway itself are refused.
 */
function mountAsync(app: FastifyInstance, stack: Stack, bus: MessageBus, config: Config) {
  const names = new Set(stack.functions.map((f) => f.name));
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const { name, '*': rest = '' } = request.params as { name: string; '*'?: string };
      if (!names.has(name)) throw new HttpError('NOT_FOUND', `No function named ${name}`);
      const callback = request.headers['x-callback-url'];
      let callbackUrl: URL | undefined;
      if (callback !== undefined) {
        callbackUrl = URL.canParse(String(callback)) ? new URL(String(callback)) : undefined;
        if (!callbackUrl || !/^https?:$/.test(callbackUrl.protocol)) throw new HttpError('VALIDATION_FAILED', 'X-Callback-Url must be an http(s) URL');
        const refusal = await callbackRefusal(callbackUrl, Number(request.socket.localPort));
        if (refusal) throw new HttpError('VALIDATION_FAILED', refusal);
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers)
          .filter(([header, value]) => !HOP_BY_HOP.has(header) && typeof value === 'string')
          .map(([header, value]) => [header, value as string]),
      );
      const call: AsyncCall = {
        callId: request.id,
        function: name,
        path: `${rest ? `/${rest}` : ''}${queryOf(request)}`,
        // The client's address as this gateway saw it: the function's limits count it, not a header the client chose.
        headers: { ...headers, 'x-call-id': request.id, 'x-forwarded-for': request.ip },
        body: ((request.body as Buffer | undefined) ?? Buffer.alloc(0)).toString('base64'),
        ...(callbackUrl ? { callbackUrl: callbackUrl.href } : {}),
      };
      try {
        await bus.send(asyncQueue(config.events).name, { id: request.id, body: JSON.stringify(call) });
      } catch (error) {
        if (error instanceof QueueFullError) throw new HttpError('RATE_LIMITED', 'Too many async calls are waiting; try again later');
        request.log.error({ err: error }, 'async call could not be queued');
        throw new HttpError('UNAVAILABLE', 'The queue of async calls is unavailable; try again later');
      }
      return reply.code(202).send();
    };
    scope.post('/async-function/:name', handler);
    scope.post('/async-function/:name/*', handler);
  });
}

/** The row of /system/queues that counts the events no queue was bound to. */
export const UNROUTED = '(unrouted)';

/** Queues the runtime reports on and replays: each event-driven function's, and the async calls'. */
const queueNames = (stack: Stack, config: Config) => [
  ...stack.functions.filter((f) => f.topics.length).map((f) => f.name),
  asyncQueue(config.events).name,
];

/**
 * `GET /healthz`, `GET /system/functions` (the OpenFaaS shape, from stack.yml), `GET /system/queues`
 * (ready, unacknowledged and dead-lettered messages per function, and the unrouted events),
 * `GET /system/outbox` (events waiting to be published) and the dead letters.
 */
function mountSystem(app: FastifyInstance, stack: Stack, bus: MessageBus, outbox: Outbox, config: Config) {
  const known = queueNames(stack, config);
  const asking = async <T>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      throw new HttpError('UNAVAILABLE', `The message bus does not answer: ${(error as Error).message}`);
    }
  };
  const pick = (name: unknown) => {
    if (name === undefined) return known;
    if (typeof name !== 'string' || !known.includes(name)) throw new HttpError('NOT_FOUND', `No queue for ${String(name)}`);
    return [name];
  };

  app.get('/healthz', async () => 'OK');
  app.get('/system/functions', async () =>
    stack.functions.map((f) => ({
      name: f.name,
      image: f.image,
      namespace: 'openfaas-fn',
      envProcess: 'node entry.js',
      envVars: publicEnvironment(f.environment),
      labels: f.labels,
      annotations: f.annotations,
      replicas: 1,
      availableReplicas: 1,
    })),
  );
  app.get('/system/queues', () =>
    asking(async () => {
      const queues = await Promise.all(known.map(async (name) => ({ name, ...(await bus.stats(name)) })));
      // Events no queue was bound to when published (RabbitMQ holds them for a subscriber to come).
      const unrouted = bus.unrouted && { name: UNROUTED, ready: await bus.unrouted(), unacked: 0, dead: 0 };
      return unrouted ? [...queues, unrouted] : queues;
    }),
  );
  // Events stored and not yet published: a growing count or an old oldest means the relay is stuck.
  app.get('/system/outbox', () => outbox.backlog());
  app.get('/system/dead-letters', (request) => {
    const queues = pick((request.query as { function?: string }).function);
    return asking(() => bus.deadLetters(queues));
  });
  app.post('/system/dead-letters/replay', async (request) => {
    const { function: name, id } = (request.body ?? {}) as { function?: unknown; id?: unknown };
    if (id !== undefined && typeof id !== 'string') throw new HttpError('VALIDATION_FAILED', 'id must be a string');
    const queues = pick(name);
    return { replayed: await asking(() => bus.replay(queues, id)) };
  });
}

/**
 * The local OpenFaaS-compatible gateway: `/function/<name>`, `/async-function/<name>`,
 * `/system/*`, `/healthz`, and the public `/api/…` routes from stack.yml, as Nginx serves them
 * in front of a real gateway. Once listening, it runs the event backbone too.
 */
export async function createGateway({ stack, config: given, isolated = false, env = process.env, pretty = false }: GatewayOptions): Promise<Gateway> {
  // Internal functions refuse calls without the token; with none configured, this runtime makes
  // one for its own connector and function processes.
  const config = { ...given, internalToken: given.internalToken ?? randomBytes(24).toString('base64url') };
  // A request may take as long to arrive as the slowest function may run (its exec_timeout).
  const execTimeout = Math.max(...stack.functions.map((f) => parseDuration(f.environment.exec_timeout, 10)));
  const app = createServer({ logLevel: config.logLevel, pretty, timeouts: serverTimeouts(config.timeouts, execTimeout) });
  let deps: Deps | undefined;
  let outbox: Outbox;
  let kv: KeyValueStore;
  let adapters: Record<string, string>;
  let events: Events | undefined;
  let scheduler: Scheduler | undefined;
  const metrics = createRuntimeMetrics({ functions: stack.functions.map((f) => f.name), retries: config.events.retryDelays.length, log: app.log });
  // Before the functions are mounted: their routes get its hook. METRICS=off: neither.
  if (config.metrics) mountMetrics(app, stack, metrics);
  const { bus, name: busName } = await openBus(config, app.log);
  app.addHook('preClose', async () => {
    await scheduler?.stop();
    await events?.stop();
  });
  app.addHook('onClose', () => bus.close());
  try {
    // A front-end developer's page on another origin may call the runtime directly, as it may
    // call the edge (Nginx answers CORS there, from the same CORS_ORIGINS).
    if (config.corsOrigins.length) {
      const options = {
        origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-call-id'],
        exposedHeaders: ['x-call-id', 'retry-after'],
        maxAge: 600,
      };
      // Only browsers' requests (with an Origin) are CORS; any other OPTIONS is still 405.
      await app.register(cors, { delegator: (request, done) => done(null, request.headers.origin ? options : { origin: false }) });
    }
    const definitions = await loadDefinitions(stack);
    if (isolated) {
      ({ outbox, kv, adapters } = await mountIsolated(app, stack, config, { ...env, INTERNAL_TOKEN: config.internalToken }));
    } else {
      deps = await mountInProcess(app, definitions, config);
      ({ adapters, kv } = deps);
      outbox = deps.store.outbox;
    }
    // Every queue exists before the relay publishes, even when the connector runs elsewhere or
    // later: an event published before its function's queue exists would reach nobody.
    await bus.declare(asyncQueue(config.events));
    for (const { name, topics } of stack.functions) {
      if (topics.length) await bus.declare({ name, topics, prefetch: config.events.prefetch });
    }
    await mountReference(app, definitions);
    mountWrongMethods(app, stack);
    mountAsync(app, stack, bus, config);
    mountSystem(app, stack, bus, outbox, config);
    metrics.readFrom({ bus, outbox, queues: () => queueNames(stack, config) });
    // Product images stored on local disk (no CLOUDINARY_URL) are served from here.
    mountMedia(app, join(config.dataDir, 'media'));
    await app.ready();
  } catch (error) {
    await app.close(); // stops what was started: connections, function processes
    throw error;
  }
  const gateway: Gateway = {
    app,
    mode: isolated ? 'isolated' : 'in-process',
    adapters: { ...adapters, bus: busName },
    deps,
    bus,
    metrics,
    async listen({ port, host }) {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const loopback = address.family === 'IPv6' ? '[::1]' : '127.0.0.1';
      const url = `http://${loopback}:${address.port}`;
      gateway.events = events = await startEvents({
        bus,
        outbox,
        log: app.log,
        config,
        gatewayUrl: url,
        consume: config.events.connector,
        functions: async () => stack.functions,
        metrics,
      });
      scheduler = startScheduler({
        functions: stack.functions.flatMap(({ name, schedule, environment }) =>
          schedule ? [{ name, schedule, timeoutMs: parseDuration(environment.exec_timeout, 10) * 1000 }] : [],
        ),
        kv,
        gatewayUrl: url,
        internalToken: config.internalToken,
        log: app.log.child({ component: 'scheduler' }),
        metrics,
      });
      return url;
    },
  };
  return gateway;
}
