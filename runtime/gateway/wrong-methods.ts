import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '#platform/errors.js';
import { everyMethod } from '#platform/function-app.js';
import type { Stack } from '../stack.js';

/** A known public path called with a method no function answers there: 405 with Allow, as Nginx does. */
const wrongMethodsPlugin: FastifyPluginAsync<{ stack: Stack }> = async (app, { stack }) => {
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
};

export default wrongMethodsPlugin;
