import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyValueStore } from '#domain/ports.js';
import { HttpError } from './errors.js';

/**
 * The header the async worker (runtime/async-worker.ts) sends with each call it makes: the async
 * call's id, an idempotency key. Honoured on the gateway paths of a function (`/function/<name>`,
 * the template's `/`), never on public routes.
 */
export const ASYNC_CALL_HEADER = 'x-async-call-id';
/** On the in-progress answer (409): the call is running elsewhere; ask again later. */
export const CALL_RUNNING_HEADER = 'x-call-running';

/** How long a call's answer is kept and replayed. */
export const CALL_WINDOW_SECONDS = 24 * 3600;
/** A call that never answers (its process died) may run again after this; longer than any exec_timeout. */
const LEASE_SECONDS = 5 * 60;
/** Larger answers are replayed with their status and type but without their body. */
const MAX_KEPT_BODY = 256 * 1024;
const callIdPattern = /^[\w.:-]{1,128}$/;

interface Kept {
  /** The request, hashed: the same id with another request is refused, never answered from another's result. */
  hash: string;
  state: 'running' | 'done';
  status?: number;
  contentType?: string;
  /** base64; absent when it was over MAX_KEPT_BODY. */
  body?: string;
}

/** Answers that say "not now" (5xx, 408, 429) are not kept: the same call may run again. */
const transient = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * Runs a function at most once per async call id within CALL_WINDOW_SECONDS: the first request
 * takes a lease (set-if-absent), and its answer is kept when it is sent, even when the caller
 * has hung up meanwhile (the worker's timeout), so a retry is answered from it. A duplicate
 * while the first runs is 409 with `X-Call-Running`, which the worker retries later.
 */
export function callOnce(name: string, kv: KeyValueStore) {
  const owned = new WeakMap<FastifyRequest, { key: string; hash: string }>();

  async function preHandler(request: FastifyRequest, reply: FastifyReply) {
    const callId = request.headers[ASYNC_CALL_HEADER];
    if (typeof callId !== 'string' || !callIdPattern.test(callId)) return;
    const key = `async-call:${name}:${callId}`;
    const hash = createHash('sha256')
      .update(JSON.stringify([request.method, request.url, request.headers.authorization, request.headers['x-internal-token'], request.body]))
      .digest('base64url');
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await kv.set(key, JSON.stringify({ hash, state: 'running' } satisfies Kept), { ttlSeconds: LEASE_SECONDS, ifAbsent: true })) {
        owned.set(request, { key, hash });
        return;
      }
      const raw = await kv.get(key);
      if (!raw) continue; // it expired or was released between the two reads
      const kept = JSON.parse(raw) as Kept;
      if (kept.hash !== hash) throw new HttpError('IDEMPOTENCY_KEY_REUSED', 'This async call id was used for another request');
      if (kept.state === 'running') {
        reply.header(CALL_RUNNING_HEADER, 'true').header('retry-after', '1');
        throw new HttpError('CONFLICT', 'This async call is running; ask again later');
      }
      reply.code(kept.status!).header('x-call-replayed', 'true');
      if (kept.contentType) reply.type(kept.contentType);
      return reply.send(kept.body === undefined ? undefined : Buffer.from(kept.body, 'base64'));
    }
    throw new HttpError('CONFLICT', 'This async call is changing right now; ask again later');
  }

  async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const mine = owned.get(request);
    if (!mine) return payload;
    owned.delete(request);
    try {
      if (transient(reply.statusCode)) {
        await kv.delete(mine.key);
        return payload;
      }
      const body = payload == null ? Buffer.alloc(0) : typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : undefined;
      const contentType = reply.getHeader('content-type');
      const kept: Kept = {
        hash: mine.hash,
        state: 'done',
        status: reply.statusCode,
        ...(typeof contentType === 'string' ? { contentType } : {}),
        ...(body && body.length <= MAX_KEPT_BODY ? { body: body.toString('base64') } : {}),
      };
      await kv.set(mine.key, JSON.stringify(kept), { ttlSeconds: CALL_WINDOW_SECONDS });
    } catch (error) {
      // The answer still goes out; a retry after the lease may run the call again.
      request.log.error({ err: error }, 'the answer of an async call could not be kept');
    }
    return payload;
  }

  return { preHandler, onSend };
}
