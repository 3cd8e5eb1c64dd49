import type { FastifyInstance } from 'fastify';
import type { RuntimeMetrics } from './metrics.js';
import type { Stack } from './stack.js';

/**
 * `GET /metrics` (Prometheus text) on the runtime's own port, and the count and duration of every
 * function call through it: at `/function/<name>[/…]` as OpenFaaS's gateway counts them, and at
 * the function's public route. Never public: Nginx answers 404 for it (scripts/nginx-config.ts).
 * Mounted before the functions, so their routes get the hook.
 */
export function mountMetrics(app: FastifyInstance, stack: Stack, metrics: RuntimeMetrics) {
  // The route a request matched, as fastify names it, → the function behind it. Public routes
  // count for their own method only: another method there is the gateway's 405, not a call.
  const byRoute = new Map<string, string>();
  for (const { name, route } of stack.functions) {
    byRoute.set(`/function/${name}`, name);
    byRoute.set(`/function/${name}/*`, name);
    if (route) byRoute.set(`${route.method} ${route.path}`, name);
  }
  // A callback hook: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    const url = request.routeOptions.url;
    const name = url === undefined ? undefined : (byRoute.get(url) ?? byRoute.get(`${request.method} ${url}`));
    if (name) metrics.invoked(name, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { logLevel: 'warn' }, (_request, reply) => {
    reply.type(metrics.contentType);
    return metrics.render();
  });
}
