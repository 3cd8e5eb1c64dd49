import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { answerClientError } from './client-errors.js';
import type { Config } from './config.js';
import { HttpError, sendError, validationFailed } from './errors.js';

export const MiB = 1024 * 1024;
const callIdPattern = /^[\w.:-]{1,128}$/;
/** A request taking this long is logged at info, whatever the level of the others (debug). */
const SLOW_REQUEST_MS = 1000;

/** Seconds; 0 means none. */
export interface Timeouts {
  /** The whole request (line, headers and body) must arrive within it, else 408 and the connection closes. */
  request: number;
  /** The request line and headers must arrive within it: a silent connection is not held. */
  headers: number;
  /** An idle keep-alive connection is closed after it. */
  keepAlive: number;
}

/**
 * A request may take as long to arrive as the function may run (of-watchdog's exec_timeout),
 * unless REQUEST_TIMEOUT says otherwise; headers get 10 s at most. The keep-alive default is
 * fastify's 72 s: longer than the 60 s an Nginx or load balancer in front keeps an idle
 * upstream connection, so the proxy closes first and never reuses one we are closing.
 */
export function serverTimeouts(config: Config['timeouts'], execTimeout: number): Timeouts {
  const request = config.request ?? execTimeout;
  const headers = config.headers ?? 10;
  return { request, headers: request > 0 ? Math.min(headers, request) : headers, keepAlive: config.keepAlive };
}

export interface ServerOptions {
  logLevel: string;
  /** Readable lines (pino-pretty) instead of JSON: for a person at a terminal. */
  pretty?: boolean;
  timeouts?: Timeouts;
}

const ms = (seconds: number) => Math.round(seconds * 1000);

// A call id made here has the form nginx's $request_id has at the edge: 32 lower-case hex
// characters, so a log search or a client sees one form wherever the id was made. Here they are
// this process's random part (20) and a counter (12), unique across processes without drawing
// random bytes on every request (a UUID per call cost 5% of a trivial function).
const processPart = randomBytes(10).toString('hex');
let calls = 0;
const newCallId = () => `${processPart}${(++calls).toString(16).padStart(12, '0')}`;

/**
 * A fastify instance with what every host of our functions shares: JSON logs that carry
 * the call id, `X-Call-Id` on every answer, trusted proxies on private networks only,
 * and the error shape (platform/errors.ts) for errors and unknown routes.
 */
export function createServer({ logLevel, pretty = false, timeouts = serverTimeouts({ keepAlive: 72 }, 0) }: ServerOptions): FastifyInstance {
  // Node checks the request and headers timeouts on a timer (30 s by default): check often enough to honour them.
  const checkEvery = Math.min(5, ...[timeouts.request, timeouts.headers].filter((s) => s > 0));
  const app = Fastify({
    logger: pretty
      ? { level: logLevel, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : { level: logLevel },
    logController: new LogController({ requestIdLogLabel: 'callId', disableRequestLogging: true }),
    genReqId: (request) => {
      const given = request.headers['x-call-id'];
      return typeof given === 'string' && callIdPattern.test(given) ? given : newCallId();
    },
    // Gateways and Nginx sit on loopback or private networks; a client's own X-Forwarded-For is ignored.
    trustProxy: 'loopback,linklocal,uniquelocal',
    bodyLimit: MiB,
    requestTimeout: ms(timeouts.request),
    keepAliveTimeout: ms(timeouts.keepAlive),
    http: { headersTimeout: ms(timeouts.headers), connectionsCheckingInterval: ms(checkEvery) },
    clientErrorHandler: answerClientError,
    routerOptions: { maxParamLength: 200 },
    // Router-level failures get our error shape too; an over-long or badly encoded path (an id
    // that is not UTF-8) finds nothing, as any malformed id does.
    frameworkErrors: (error, request, reply) => {
      void sendError(
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' || error.code === 'FST_ERR_BAD_URL'
          ? new HttpError('NOT_FOUND', 'Nothing at this path')
          : error,
        request,
        reply,
      );
    },
  });
  // Only JSON (and, where a function says so, multipart) is accepted: plain text is a 415.
  app.removeContentTypeParser('text/plain');
  // Bytes that are not UTF-8 would be decoded into U+FFFD and stored as if the client had sent
  // it: refuse them, then parse as fastify does (prototype poisoning refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    // No bytes is no body (curl -H 'content-type: application/json' on a POST without data): a
    // route without a body answers, one with a body says which fields are required.
    if ((body as Buffer).length === 0) return done(null, undefined);
    if (!isUtf8(body as Buffer)) return done(validationFailed('Request body is not valid UTF-8'), undefined);
    void parseJson(request, (body as Buffer).toString('utf8'), done);
  });
  // Hooks in callback style: on every request, they spare fastify a promise each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-call-id', request.id);
    done();
  });
  // One line per request, at debug: two synchronous lines per request at info cost the trivial
  // function half its throughput. Slow requests still reach the info log, and failures the
  // error log (sendError), with the call id as every line has.
  app.addHook('onResponse', (request, reply, done) => {
    const ms = Math.round(reply.elapsedTime);
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, ms };
    if (ms >= SLOW_REQUEST_MS) request.log.info(line, 'slow request');
    else request.log.debug(line, 'request');
    done();
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
