/** The error pages of the edge: every status nginx answers itself, in the shop's error shape. */
import { ERRORS as SHOP_ERRORS, type ErrorCode } from '../domain/errors.js';
import { block, COMMON_HEADERS } from './nginx-parts.js';

interface ErrorPage {
  code: ErrorCode;
  /** nginx's status, when it is not the code's own (domain/errors.ts). */
  status?: number;
  /** More precise than the code's message of the table. */
  message?: string;
  extra?: string[];
  from?: number;
  ownStatus?: boolean;
}

/** A code of the table as nginx returns it, `$call_id` and all. */
const errorBody = (code: ErrorCode, message: string = SHOP_ERRORS[code].message) =>
  JSON.stringify({ error: { code, message, callId: '$call_id' } });

/**
 * Every status nginx answers itself, in the shop's error shape (platform/errors.ts; never
 * nginx's HTML pages), with the codes and messages of the shop's table (domain/errors.ts): its refusals of a request (400,
 * 405 for TRACE, 408, 411, 413, 414, 494 as 431, 501 for an unknown Transfer-Encoding, 505), our
 * own 403/404/405/429, and the gateway's absence (500, 502-504).
 */
const ERROR_PAGES: ErrorPage[] = [
  { code: 'BAD_REQUEST' },
  { code: 'FORBIDDEN', message: 'This origin may not call the API' },
  { code: 'NOT_FOUND' },
  // $allowed_methods comes from the route's location; nginx refuses TRACE before choosing one,
  // so its 405 takes the methods from the path ($path_methods), and is 404 where nothing is
  // (ownStatus: the page's own status is answered, not always 405).
  {
    code: 'METHOD_NOT_ALLOWED',
    ownStatus: true,
    extra: [
      'uninitialized_variable_warn off;',
      'add_header Allow $allow always;',
      `if ($allow = "") { return ${SHOP_ERRORS.NOT_FOUND.status} '${errorBody('NOT_FOUND')}'; }`,
    ],
  },
  { code: 'REQUEST_TIMEOUT' },
  { code: 'LENGTH_REQUIRED' },
  { code: 'PAYLOAD_TOO_LARGE' },
  { status: 414, code: 'BAD_REQUEST', message: 'Request URI is too long' },
  // nginx's own 494 (a header over large_client_header_buffers) is 431, as the runtime answers it.
  { code: 'HEADERS_TOO_LARGE', from: 494 },
  { code: 'RATE_LIMITED', extra: ['add_header Retry-After 10 always;'] },
  { code: 'INTERNAL' },
  { code: 'NOT_IMPLEMENTED' },
  { status: 502, code: 'UNAVAILABLE' },
  { code: 'UNAVAILABLE' },
  { status: 504, code: 'UNAVAILABLE', message: 'The service did not answer in time' },
  { code: 'HTTP_VERSION_NOT_SUPPORTED' },
];

export const ERRORS = ERROR_PAGES.map((page) => ({ ...page, status: page.status ?? SHOP_ERRORS[page.code].status }));

/** The statuses nginx answers in the error shape (tests go through all of them). */
export const EDGE_ERROR_STATUSES = ERRORS.flatMap(({ status, from }) => (from ? [status, from] : [status]));

/**
 * Error pages are internal URIs, not named locations: nginx cannot redirect a request it failed
 * to parse (400 on a bad request line) to a named location and would fall back to HTML.
 */
export function errorLocation({ status, code, message, extra = [] }: (typeof ERRORS)[number]): string[] {
  // $call_id only ever holds [A-Za-z0-9_.:-], so it is safe inside a JSON string.
  return block(`location = /_errors/${status}`, ['internal;', ...COMMON_HEADERS, ...extra, `return ${status} '${errorBody(code, message)}';`]);
}
