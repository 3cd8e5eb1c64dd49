import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, Delivery, MessageBus, QueueSpec, Verdict } from '#domain/bus.js';
import { ASYNC_CALL_HEADER, CALL_RUNNING_HEADER } from '#platform/call-once.js';
import type { EventSettings } from '#platform/config.js';
import { CallbackRefusedError, deliverCallback } from './callback-url.js';
import { post, type Answer } from './http-client.js';

/** A `POST /async-function/<name>` call, waiting in the queue until the worker makes it. */
export interface AsyncCall {
  callId: string;
  function: string;
  /** What followed the function's name (`/<params>?<query>`), passed on as given. */
  path: string;
  headers: Record<string, string>;
  /** The request body, base64. */
  body: string;
  callbackUrl?: string;
}

/** The one durable queue of async calls; the gateway and the worker declare it alike. */
export const asyncQueue = (settings: EventSettings): QueueSpec => ({
  name: 'async-calls',
  topics: [],
  prefetch: settings.asyncConcurrency,
  maxLength: settings.asyncMaxQueued,
});

export interface AsyncWorkerOptions {
  bus: MessageBus;
  log: FastifyBaseLogger;
  gatewayUrl: string;
  settings: EventSettings;
}

const CALLBACK_TIMEOUT_MS = 10_000;

/**
 * Makes the queued async calls, as OpenFaaS's queue worker does: calls `/function/<name>`
 * through the gateway and POSTs the answer to X-Callback-Url with X-Call-Id, X-Function-Name
 * and X-Function-Status. Any answer of the function settles the call (the callback reports it);
 * a gateway that cannot be reached, or a callback that fails, is tried again after the bus's delays.
 */
export function startAsyncWorker({ bus, log, gatewayUrl, settings }: AsyncWorkerOptions): Promise<Consumer> {
  const gateway = new URL(gatewayUrl);
  const gatewayPort = Number(gateway.port || (gateway.protocol === 'https:' ? 443 : 80));
  async function run(delivery: Delivery): Promise<Verdict> {
    let call: AsyncCall;
    try {
      call = JSON.parse(delivery.body) as AsyncCall;
      if (typeof call.function !== 'string' || typeof call.path !== 'string') throw new Error('no function');
    } catch {
      return { outcome: 'dead', reason: 'malformed async call' };
    }
    const started = performance.now();
    let answer: Answer;
    try {
      // The call id is the call's idempotency key: a retry after a timeout, or the same call
      // queued twice, is answered from the first run (platform/call-once.ts).
      const headers = { ...call.headers, [ASYNC_CALL_HEADER]: call.callId };
      answer = await post(`${gatewayUrl}/function/${call.function}${call.path}`, headers, Buffer.from(call.body, 'base64'), settings.callTimeoutMs);
    } catch (error) {
      log.warn({ function: call.function, callId: call.callId, attempt: delivery.attempt, reason: (error as Error).message }, 'async call failed: will retry');
      return { outcome: 'retry', reason: (error as Error).message };
    }
    const { status } = answer;
    if (status === 409 && answer.headers[CALL_RUNNING_HEADER]) return { outcome: 'retry', reason: 'the same call is running' };
    log.info({ function: call.function, callId: call.callId, status, durationMs: Math.round(performance.now() - started) }, 'async call finished');
    if (call.callbackUrl) {
      // Checked again here: the name may resolve elsewhere now than when the call was accepted.
      const failure = await deliverCallback(call.callbackUrl, {
        headers: {
          'content-type': answer.contentType ?? 'application/octet-stream',
          'x-call-id': call.callId,
          'x-function-name': call.function,
          'x-function-status': String(status),
        },
        body: new Uint8Array(answer.body),
        timeoutMs: CALLBACK_TIMEOUT_MS,
        gatewayPort,
      }).then(
        (callbackStatus) => (callbackStatus < 500 ? '' : `status ${callbackStatus}`),
        (error: Error) => {
          if (!(error instanceof CallbackRefusedError)) return error.message;
          log.warn({ callId: call.callId, reason: error.message }, 'async call: the callback address is refused; not sent');
          return '';
        },
      );
      // Asked again, the function's host replays the kept answer (platform/call-once.ts): the
      // callback is delivered at least once and the function does not run again.
      if (failure) {
        log.warn({ callId: call.callId, reason: failure }, 'async call: the callback failed: will retry');
        return { outcome: 'retry', reason: `the callback failed: ${failure}` };
      }
    }
    return { outcome: 'done' };
  }

  return bus.consume(asyncQueue(settings), run);
}
