import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { HttpError, sendError } from './errors.js';

export const MiB = 1024 * 1024;
const callIdPattern = /^[\w.:-]{1,128}$/;

export interface ServerOptions {
  logLevel: string;
  /** Readable lines (pino-pretty) instead of JSON: for a person at a terminal. */
  pretty?: boolean;
  /** Seconds a request may take before the connection is cut (watchdog exec_timeout). */
  requestTimeout?: number;
}

/**
 * A fastify instance with what every host of our functions shares: JSON logs that carry
 * the call id, `X-Call-Id` on every answer, trusted proxies on private networks only,
 * and the error shape of API.md for errors and unknown routes.
 */
export function createServer({ logLevel, pretty = false, requestTimeout = 0 }: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: pretty
      ? { level: logLevel, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : { level: logLevel },
    logController: new LogController({ requestIdLogLabel: 'callId' }),
    genReqId: (request) => {
      const given = request.headers['x-call-id'];
      return typeof given === 'string' && callIdPattern.test(given) ? given : randomUUID();
    },
    // Gateways and Nginx sit on loopback or private networks; a client's own X-Forwarded-For is ignored.
    trustProxy: 'loopback,linklocal,uniquelocal',
    bodyLimit: MiB,
    requestTimeout: requestTimeout * 1000,
    routerOptions: { maxParamLength: 200 },
    // Router-level failures (an over-long or badly encoded path) get our error shape too.
    frameworkErrors: (error, request, reply) =>
      sendError(
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? new HttpError('NOT_FOUND', 'Nothing at this path') : error,
        request,
        reply,
      ),
  });
  // Only JSON (and, where a function says so, multipart) is accepted: plain text is a 415.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-call-id', request.id);
  });
  // server.close() ends the connections that are idle at that moment; a keep-alive connection
  // whose response is still finishing would then hold close() until its keep-alive timeout.
  // While closing, connections are ended as soon as they go idle; in-flight requests finish.
  app.addHook('preClose', async () => {
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50).unref();
    app.server.once('close', () => clearInterval(sweep));
  });
  app.setErrorHandler(sendError);
  app.setNotFoundHandler((request, reply) =>
    sendError(new HttpError('NOT_FOUND', `Nothing at ${request.method} ${request.url.split('?')[0]}`), request, reply),
  );
  return app;
}
