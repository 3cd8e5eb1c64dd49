import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { DomainError, ERRORS, genericCode, type ErrorCode } from '#domain/errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** An error raised by the platform itself (auth, routing, limits). */
export class HttpError extends DomainError {}

/** A refusal of the domain answered with the status one operation declares for it (its `errors`). */
export class RestatedError extends HttpError {
  constructor(
    from: DomainError,
    private readonly answerStatus: number,
  ) {
    super(from.code, from.message, from.details);
  }

  override get status() {
    return this.answerStatus;
  }
}

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

/** Turns anything thrown into a status and the error shape `{"error":{"code","message","details?"}}`. */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof DomainError) {
    const { status } = error;
    return { status, body: { error: { code: error.code, message: error.message, details: error.details } } };
  }
  if (error instanceof ZodError) return toHttpError(zodFailure(error, 'input'));
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    // The framework's own refusal gets its status's generic code, never a business code of that
    // status; one the table has no code for is the client's fault all the same: 400.
    const code = genericCode(status);
    if (!code) return toHttpError(validationFailed(fastifyError.message));
    const message =
      fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? ERRORS.PAYLOAD_TOO_LARGE.message
        : error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? 'Request body is not valid JSON'
          : fastifyError.message;
    return { status, body: { error: { code, message } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message } } };
}

/** Fastify error handler: 4xx messages go to the client, 5xx details only to the log. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toHttpError(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  const retryAfter = (body.error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (retryAfter) reply.header('retry-after', String(retryAfter));
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
