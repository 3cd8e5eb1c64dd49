import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { DomainError } from '#domain/errors.js';

/** The one map from error codes to HTTP statuses; codes not listed are business rules (422). */
const statusByCode: Record<string, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  WRONG_PASSWORD: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  EMAIL_TAKEN: 409,
  SLUG_TAKEN: 409,
  CATEGORY_IN_USE: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

const codeByStatus: Record<number, string> = Object.fromEntries(
  Object.entries(statusByCode).map(([code, status]) => [status, code]),
);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** An error raised by the platform itself (auth, routing, limits). */
export class HttpError extends DomainError {}

export const validationFailed = (message: string, details?: unknown) =>
  new HttpError('VALIDATION_FAILED', message, details);

function describeZod(error: ZodError, where: string) {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export function zodFailure(error: ZodError, where: string) {
  return validationFailed(`Invalid ${where}`, describeZod(error, where));
}

/** Turns anything thrown into a status and the error shape of API.md. */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof DomainError) {
    const status = statusByCode[error.code] ?? 422;
    return { status, body: { error: { code: error.code, message: error.message, details: error.details } } };
  }
  if (error instanceof ZodError) return toHttpError(zodFailure(error, 'input'));
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const message =
      fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'Request body is too large'
        : error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? 'Request body is not valid JSON'
          : fastifyError.message;
    return { status, body: { error: { code: codeByStatus[status] ?? 'BAD_REQUEST', message } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } } };
}

/** Fastify error handler: 4xx messages go to the client, 5xx details only to the log. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toHttpError(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  const retryAfter = (body.error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (retryAfter) reply.header('retry-after', String(retryAfter));
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
