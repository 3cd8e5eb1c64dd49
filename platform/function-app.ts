import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller } from '#domain/users/sessions.js';
import { callOnce } from './call-once.js';
import type { Access, FunctionDefinition } from './define-function.js';
import type { Deps } from './deps.js';
import { DomainError } from '#domain/errors.js';
import { HttpError, RestatedError, validationFailed, zodFailure } from './errors.js';
import { acceptMultipart, readMultipart } from './multipart.js';
import { jsonSchema } from './openapi.js';
import { MiB } from './server.js';
import { findUnsafeText, queryDecodes } from './text.js';

export interface Mount {
  /** A fastify path: `/…/*` takes parameters by position, `/…/:id` by name. */
  url: string;
  /** Gateway paths answer every method (405 for the wrong one); public routes only their own. */
  anyMethod: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export const everyMethod = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A field that is not there says so ("required (number)"), where zod would say "Invalid input:
 * expected number, received undefined". A schema's own message (the Idempotency-Key header's) wins.
 */
const readable: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? `required (${issue.expected})` : undefined;

function parse(schema: z.ZodType | undefined, value: unknown, where: string) {
  if (!schema) return undefined;
  const result = schema.safeParse(value, { error: readable });
  if (!result.success) throw zodFailure(result.error, where);
  return result.data;
}

/** `/function/get-user/abc` → `{ id: 'abc' }`, using the order of the params schema. */
function positionalParams(rest: string | undefined, keys: string[]) {
  const segments = (rest ?? '').split('/').filter(Boolean);
  if (segments.length !== keys.length) throw nothingHere();
  return Object.fromEntries(keys.map((key, i) => [key, segments[i]]));
}

const nothingHere = () => new HttpError('NOT_FOUND', 'Nothing at this path');

/**
 * Every input of every function passes here before its schema: a NUL or a lone surrogate is
 * refused (an id in the path finds nothing, 404; anything else is 400), so no function can
 * forget it and no store ever sees such text.
 */
function refuseUnsafeText(value: unknown, where: string) {
  const path = findUnsafeText(value, where);
  if (path) {
    throw validationFailed('Text must not contain NUL characters or lone UTF-16 surrogates', [
      { path, message: 'contains a NUL character or a lone UTF-16 surrogate' },
    ]);
  }
}

function sameSecret(given: unknown, expected: string) {
  const a = Buffer.from(typeof given === 'string' ? given : '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function authorize(access: Exclude<Access, 'public'>, request: FastifyRequest, deps: Deps): Promise<Caller | null> {
  if (access === 'internal') {
    // Closed by default: without a configured token nobody may call, not even the connector.
    const secret = deps.config.internalToken;
    if (!secret) request.log.warn('INTERNAL_TOKEN (the internal-token secret) is not set: this internal function refuses every call');
    if (!secret || !sameSecret(request.headers['x-internal-token'], secret)) {
      throw new HttpError('FORBIDDEN', 'Only the platform may call this function');
    }
    return null;
  }
  const caller = await deps.sessions.authenticate(request.headers.authorization);
  if (access === 'admin' && caller.role !== 'admin') throw new HttpError('FORBIDDEN', 'Admins only');
  return caller;
}

/**
 * Mounts one function on a fastify instance: authentication, input validation, the
 * handler and the answer. The template entry mounts it at `/`; the local runtime at
 * `/function/<name>` and at its public route. Errors go through the server's error handler.
 */
export function mountFunction(app: FastifyInstance, name: string, fn: FunctionDefinition, deps: Deps, mounts: Mount[]) {
  const paramKeys = fn.params instanceof z.ZodObject ? Object.keys(fn.params.shape) : [];
  const answer = fn.response && jsonSchema(fn.response, 'output');
  const bodyLimit = fn.bodyLimit ?? deps.config.maxJsonBytes ?? MiB;
  // Answers about a signed-in user, and tokens, must never sit in a shared or browser cache.
  const noStore = fn.noStore ?? (fn.access === 'customer' || fn.access === 'admin');
  // Async calls run once per call id, on the gateway paths (the async worker's) only.
  const once = callOnce(name, deps.kv);

  /** The refusals this operation answers with a status of its own (`errors: { CODE: { status } }`). */
  const ownStatus = new Map(Object.entries(fn.errors ?? {}).flatMap(([code, how]) => (typeof how === 'object' ? [[code, how.status] as const] : [])));
  const restate = (error: unknown): never => {
    const status = error instanceof DomainError ? ownStatus.get(error.code) : undefined;
    throw status ? new RestatedError(error as DomainError, status) : error;
  };

  /** Everything between the request and the handler's answer; errors go to the error handler. */
  async function invoke(request: FastifyRequest, reply: FastifyReply, anyMethod: boolean) {
    if (request.method !== fn.method) {
      // HEAD and OPTIONS too: what a function answers is its one method, said in Allow (as Nginx does).
      reply.header('allow', fn.method);
      throw new HttpError('METHOD_NOT_ALLOWED', `${name} answers ${fn.method} only`);
    }
    if (noStore) reply.header('cache-control', 'no-store');
    const caller = fn.access === 'public' ? null : await authorize(fn.access, request, deps);
    const rawParams = anyMethod ? positionalParams((request.params as Record<string, string>)['*'], paramKeys) : request.params;
    if (findUnsafeText(rawParams, 'params')) throw nothingHere();
    let params: unknown;
    try {
      params = parse(fn.params, rawParams, 'params');
    } catch {
      throw nothingHere();
    }
    if (!queryDecodes(request.url)) throw validationFailed('The query string is not valid percent-encoded UTF-8');
    refuseUnsafeText(request.query, 'query');
    const query = parse(fn.query, request.query ?? {}, 'query');
    const rawBody = fn.rawBody && Buffer.isBuffer(request.body) ? request.body : undefined;
    const { body, file } = fn.upload ? await readMultipart(request, fn.upload, fn.body) : { body: fn.rawBody ? undefined : request.body, file: undefined };
    refuseUnsafeText(body, 'body');
    if (file) refuseUnsafeText(file.filename, `body.${fn.upload!.field} (its file name)`);
    const answer = fn.handler({
      params,
      query,
      body: parse(fn.body, body, 'body'),
      file,
      rawBody,
      caller,
      headers: parse(fn.headers, request.headers, 'headers'),
      ip: request.ip,
      callId: request.id,
      name,
      // A public function that shows admins more asks who calls; a bad or stale token is no
      // error there: the caller is simply anonymous.
      identify: () => (caller ? Promise.resolve(caller) : deps.sessions.authenticate(request.headers.authorization).catch(() => null)),
      log: request.log,
      deps,
      // The route's compiled response serializer; a function without a response schema has JSON.stringify.
      serialize: (answer: unknown) => (reply.getSerializationFunction(String(fn.status ?? 200)) ?? JSON.stringify)(answer) as never,
    });
    return ownStatus.size ? Promise.resolve(answer).catch(restate) : answer;
  }

  // Its own scope: a function that takes uploads gets the multipart parser, the others do not.
  app.register(async (scope) => {
    if (fn.upload) acceptMultipart(scope, fn.upload);
    if (fn.rawBody) {
      // The bytes as they came: a signature covers them exactly, so they are never parsed and written again.
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    }
    for (const { url, anyMethod } of mounts) {
      scope.route({
        method: anyMethod ? everyMethod : fn.method,
        url,
        bodyLimit,
        exposeHeadRoute: false,
        // Fastify serialises the answer with its schema (fast-json-stringify): quicker than
        // JSON.stringify, and a field the schema does not name never leaves.
        ...(answer ? { schema: { response: { [fn.status ?? 200]: answer } } } : {}),
        ...(anyMethod ? once : {}),
        handler: async (request, reply) => {
          const result = await deps.track(invoke(request, reply, anyMethod));
          if (result === undefined) return reply.code(fn.status ?? 204).send();
          // Already JSON, written by serialize or a cache's bytes (a catalog page): sent as it is, not parsed and written again.
          if (typeof result === 'string' || result instanceof Uint8Array) return reply.code(fn.status ?? 200).type(JSON_TYPE).send(result);
          return reply.code(fn.status ?? 200).send(result);
        },
      });
    }
  });
}
