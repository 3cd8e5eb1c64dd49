import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { QueueFullError, type MessageBus } from '#domain/bus.js';
import type { Config } from '#platform/config.js';
import { HttpError } from '#platform/errors.js';
import { asyncQueue, type AsyncCall } from '../async-worker.js';
import { callbackRefusal } from '../callback-url.js';
import { callHeaders, queryOf } from './forwarding.js';

/** Headers a function must not see from the outer request: the gateway sets them anew. */
const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'x-callback-url', 'x-forwarded-for']);

export interface AsyncCallsOptions {
  /** The functions that may be called. */
  names: Set<string>;
  bus: MessageBus;
  config: Config;
}

/**
 * `POST /async-function/<name>`: the call waits in a durable queue (RabbitMQ, or the in-process
 * bus) and is answered 202 once the queue has it; the async worker makes it and POSTs the
 * answer to X-Callback-Url. It is for the platform and never public (Nginx does not expose it):
 * the queue is bounded (429 beyond it), and callbacks to the gateway itself are refused.
 */
const asyncCallsPlugin: FastifyPluginAsync<AsyncCallsOptions> = async (scope, { names, bus, config }) => {
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
      headers: { ...headers, ...callHeaders(request) },
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
};

export default asyncCallsPlugin;
