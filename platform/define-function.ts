import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode } from '#domain/errors.js';
import type { EventName } from '#domain/events.js';
import type { Caller } from '#domain/users/sessions.js';
import type { JsonBytes } from '#domain/versioned-cache.js';
import type { Deps } from './deps.js';
import type { UploadedFile, UploadOptions } from './multipart.js';

/**
 * Who may call a function:
 * public – anyone; customer – any logged-in user (admins too); admin – admins only;
 * internal – no public route, called by the event connector through the gateway.
 */
export type Access = 'public' | 'customer' | 'admin' | 'internal';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

declare const jsonOf: unique symbol;

/**
 * An answer already written as JSON text by the route's own serializer (`Context.serialize`;
 * a cached catalog page): sent as it is, never parsed and written again. `T` is the shape the
 * text holds, so a function's answer type still checks.
 */
export type Serialized<T> = string & { readonly [jsonOf]: T };

export interface Context<P, Q, B, A extends Access, H = undefined, R = unknown> {
  params: P;
  query: Q;
  body: B;
  /** The request headers the function declared (`headers`), checked. */
  headers: H;
  /** The uploaded file, for functions that declare `upload`. */
  file?: UploadedFile;
  /** The body's bytes as they came, for functions that declare `rawBody` (a signed webhook). */
  rawBody?: Buffer;
  /** The authenticated user; always there for customer and admin functions. */
  caller: A extends 'customer' | 'admin' ? Caller : Caller | null;
  ip: string;
  callId: string;
  /** The function's name, as the gateway calls it. */
  name: string;
  /** The caller of a public function, when it sent a valid access token; null otherwise. */
  identify(): Promise<Caller | null>;
  log: FastifyBaseLogger;
  deps: Deps;
  /**
   * Writes an answer as this route sends it: fastify's serializer of its response schema (only
   * the fields the schema names). A cache stores what it writes, so a cached answer is the same.
   */
  serialize(answer: R): Serialized<R>;
}

export interface FunctionDefinition<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
  A extends Access = Access,
  H extends Schema | undefined = Schema | undefined,
  R extends Schema | undefined = Schema | undefined,
> {
  method: Method;
  access: A;
  /** One line for the API reference: what the function does. */
  summary: string;
  /** More for the API reference, when one line is not enough. */
  description?: string;
  /** Status of a successful answer: 200 by default, 204 when the handler returns nothing. */
  status?: number;
  /** Path parameters, in the order they follow the function name (`/function/<name>/<a>/<b>`). */
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the function reads (lower case names), checked like the body. */
  headers?: H;
  /**
   * The successful answer's body. Fastify serialises with it (a field it does not name never
   * leaves), and the API reference documents it; the HTTP tests check every answer against it.
   */
  response?: R;
  /**
   * Refusals beyond those its access and inputs bring (400, 401, 403, 404): codes of the table
   * (domain/errors.ts), which gives their status and message, each with a note for the API
   * reference or `true` when the table's message says it all. `{ status, note }` answers the code
   * with another status in this operation only (a lookup that finds nothing is a 404 here, while
   * the same refusal of a write is a 422).
   */
  errors?: { [C in ErrorCode]?: string | true | { status: number; note: string } };
  /** Largest accepted body in bytes (JSON default: 1 MiB). */
  bodyLimit?: number;
  /** Takes multipart/form-data with one file (see platform/multipart.ts). */
  upload?: UploadOptions;
  /**
   * Takes a JSON body as its bytes, unparsed (`rawBody`): for a signature over the exact body
   * (Stripe's webhook). What it means, for the API reference.
   */
  rawBody?: string;
  /**
   * Answers carry `Cache-Control: no-store`. On by default for customer and admin functions
   * (personal data); public functions that hand out tokens (login, refresh) turn it on.
   */
  noStore?: boolean;
  /** Event-driven functions (defineEventHandler): the event of the catalog it reacts to, stack.yml's `topic`. */
  on?: EventName;
  /**
   * Answers the body (checked against `response`), or the same already in JSON (`serialize`), as
   * text or as its bytes from a cache.
   */
  handler(
    context: Context<Out<P>, Out<Q>, Out<B>, A, Out<H>, R extends z.ZodType ? z.input<R> : never>,
  ): Promise<R extends z.ZodType ? z.input<R> | Serialized<z.input<R>> | JsonBytes<Serialized<z.input<R>>> : void>;
}

/** Declares a function; the template entry and the local runtime both mount what this returns. */
export function defineFunction<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  A extends Access = Access,
  H extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(definition: FunctionDefinition<P, Q, B, A, H, R>): FunctionDefinition {
  return definition;
}
