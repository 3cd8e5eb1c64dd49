import type { FastifyRequest } from 'fastify';

/** `?a=1&b=2` of a request, or nothing: passed on unchanged to the function. */
export const queryOf = (request: FastifyRequest) => {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at);
};

/**
 * What a function is told of the call: its id, and the client's address as this gateway saw it
 * (the function's limits count it, not a header the client chose).
 */
export const callHeaders = (request: FastifyRequest) => ({ 'x-call-id': request.id, 'x-forwarded-for': request.ip });
