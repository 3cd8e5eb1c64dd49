import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { Caller } from '#domain/users/sessions.js';
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

export interface Context<P, Q, B, A extends Access> {
  params: P;
  query: Q;
  body: B;
  /** The uploaded file, for functions that declare `upload`. */
  file?: UploadedFile;
  /** The authenticated user; always there for customer and admin functions. */
  caller: A extends 'customer' | 'admin' ? Caller : Caller | null;
  headers: Record<string, string | string[] | undefined>;
  ip: string;
  callId: string;
  /** The function's name, as the gateway calls it. */
  name: string;
  /** The caller of a public function, when it sent a valid access token; null otherwise. */
  identify(): Promise<Caller | null>;
  log: FastifyBaseLogger;
  deps: Deps;
}

export interface FunctionDefinition<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
  A extends Access = Access,
> {
  method: Method;
  access: A;
  /** Status of a successful answer: 200 by default, 204 when the handler returns nothing. */
  status?: number;
  /** Path parameters, in the order they follow the function name (`/function/<name>/<a>/<b>`). */
  params?: P;
  query?: Q;
  body?: B;
  /** Largest accepted body in bytes (JSON default: 1 MiB). */
  bodyLimit?: number;
  /** Takes multipart/form-data with one file (see platform/multipart.ts). */
  upload?: UploadOptions;
  /**
   * Answers carry `Cache-Control: no-store`. On by default for customer and admin functions
   * (personal data); public functions that hand out tokens (login, refresh) turn it on.
   */
  noStore?: boolean;
  handler(context: Context<Out<P>, Out<Q>, Out<B>, A>): Promise<unknown>;
}

/** Declares a function; the template entry and the local runtime both mount what this returns. */
export function defineFunction<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  A extends Access = Access,
>(definition: FunctionDefinition<P, Q, B, A>): FunctionDefinition {
  return definition as unknown as FunctionDefinition;
}
