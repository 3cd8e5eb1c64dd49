import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ERRORS, type ErrorCode } from '#domain/errors.js';

/** Node's HTTP parser's refusals, as codes of the table (domain/errors.ts). */
function refusal(code: string | undefined): ErrorCode {
  if (code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  return 'BAD_REQUEST';
}

/**
 * Fastify's `clientErrorHandler`: what node's HTTP server refuses before any route runs (a
 * malformed request line, headers or URL over the size limit, a request that arrives too
 * slowly) is answered in the error shape too, then the connection is closed, since the
 * parser cannot tell where a next request would start.
 */
export function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Duplex) {
  // The peer is gone, or an answer has already begun on this connection: nothing sensible to write.
  const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (error.code === 'ECONNRESET' || !socket.writable || answering) {
    socket.destroy();
    return;
  }
  const code = refusal(error.code);
  const { status, message } = ERRORS[code];
  this.log.debug({ err: error, status }, 'refused a malformed request');
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
