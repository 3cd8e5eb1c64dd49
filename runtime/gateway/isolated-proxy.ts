import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '#platform/config.js';
import { openKv, openStore } from '#platform/connections.js';
import { loadSigningKeys } from '#platform/keys.js';
import { startFunctionProcesses } from '../isolated.js';
import type { FunctionSpec, Stack } from '../stack.js';
import { callHeaders, queryOf } from './forwarding.js';

const routeParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);

/**
 * Starts each function in its own process, and what the gateway itself needs then: the outbox
 * (the functions write to it in their own processes; the relay here publishes it) and the
 * key-value store (where the schedules take their turns).
 */
export async function startIsolated(app: FastifyInstance, stack: Stack, config: Config, env: Record<string, string | undefined>) {
  const missing = Object.entries({ DATABASE_URL: config.databaseUrl, REDIS_URL: config.redisUrl })
    .filter(([, url]) => !url)
    .map(([name]) => name);
  if (missing.length) {
    throw new Error(
      `Isolated mode runs every function in its own process; embedded PGlite and the in-memory store serve one process only. Set ${missing.join(' and ')}.`,
    );
  }
  loadSigningKeys(config); // writes the development key once, before the processes race for it
  const { store } = await openStore(config);
  app.addHook('onClose', () => store.close());
  const { kv } = await openKv(config);
  app.addHook('onClose', () => kv.close());
  const processes = await startFunctionProcesses(stack.functions, env, app.log);
  app.addHook('onClose', () => processes.stop());
  return {
    outbox: store.outbox,
    kv,
    urls: processes.urls,
    adapters: { processes: `${stack.functions.length} function processes through templates/shop-node26/entry.ts` },
  };
}

/** `/function/<name>` and the public routes, proxied to each function's own process. */
const isolatedProxyPlugin: FastifyPluginAsync<{ functions: FunctionSpec[]; urls: Map<string, string> }> = async (scope, { functions, urls }) => {
  // Bodies stream through untouched; the function process parses and limits them.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  await scope.register(replyFrom);
  for (const spec of functions) {
    const target = urls.get(spec.name)!;
    const proxy = (rest: (request: FastifyRequest) => string) => (request: FastifyRequest, reply: FastifyReply) => {
      return reply.from(`${target}/${rest(request)}${queryOf(request)}`, {
        rewriteRequestHeaders: (_req, headers) => ({ ...headers, ...callHeaders(request) }),
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
};

export default isolatedProxyPlugin;
