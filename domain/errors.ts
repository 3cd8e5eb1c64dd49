interface ErrorKind {
  status: number;
  message: string;
  /** The code a refusal of this status gets when nothing more is known (at most one per status). */
  generic?: true;
}

/**
 * Every error code the shop answers, with its HTTP status and a default message: the domain and
 * the platform raise them, the edge (scripts/nginx-config.ts) answers them, the API reference
 * lists them. A code missing here does not compile.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The input is not what this operation takes', generic: true },
  BAD_REQUEST: { status: 400, message: 'The request is not valid HTTP' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required', generic: true },
  FORBIDDEN: { status: 403, message: 'Not allowed', generic: true },
  WRONG_PASSWORD: { status: 403, message: 'The current password is wrong' },
  NOT_FOUND: { status: 404, message: 'Nothing at this path', generic: true },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed on this path (see the Allow header)', generic: true },
  REQUEST_TIMEOUT: { status: 408, message: 'The request did not arrive in time', generic: true },
  CONFLICT: { status: 409, message: 'This is changing right now; try again', generic: true },
  EMAIL_TAKEN: { status: 409, message: 'This email is already registered' },
  SLUG_TAKEN: { status: 409, message: 'The slug is taken' },
  CATEGORY_IN_USE: { status: 409, message: 'Products are in this category: move or delete them first' },
  ZONE_OVERLAP: { status: 409, message: 'A postcode of this zone is delivered by another zone already' },
  LENGTH_REQUIRED: { status: 411, message: 'Send the body with a Content-Length or chunked', generic: true },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body is too large', generic: true },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not accepted', generic: true },
  // Business rules: the request is understood, the shop's state refuses it.
  UNKNOWN_CATEGORY: { status: 422, message: 'There is no such category' },
  CURRENCY_MISMATCH: { status: 422, message: "Prices are in the shop's currency" },
  IMAGE_TOO_LARGE: { status: 422, message: 'The image has too many pixels' },
  STOCK_NEGATIVE: { status: 422, message: 'The stock would go below zero' },
  STOCK_BELOW_HELD: { status: 422, message: 'Orders not yet shipped hold more units than that' },
  STOCK_TOO_LARGE: { status: 422, message: 'Too many units on hand' },
  PRODUCT_UNAVAILABLE: { status: 422, message: 'This product is not available' },
  QUANTITY_LIMIT: { status: 422, message: 'Too many of one product per order' },
  SOLD_BY_WEIGHT: { status: 422, message: 'This product is sold by weight: send grams (pricePerKgCents for its price)' },
  SOLD_BY_PIECE: { status: 422, message: 'This product is sold by the piece: send quantity' },
  WEIGHT_NOT_ON_STEP: { status: 422, message: "The weight is not on the product's step" },
  WEIGHT_BELOW_MINIMUM: { status: 422, message: "The weight is under the product's minimum" },
  WEIGHT_LIMIT: { status: 422, message: 'Too many grams of one product per order' },
  WEIGHT_BEYOND_TOLERANCE: { status: 422, message: 'The packed weight is further above the ordered weight than the tolerance allows' },
  PACKED_ABOVE_ORDERED: { status: 422, message: 'More packed than was ordered' },
  SUBSTITUTION_NOT_WANTED: { status: 422, message: 'The customer asked for no substitute on this line' },
  SUBSTITUTE_MISMATCH: { status: 422, message: 'A substitute is sold the same way as the product it replaces, and is another product' },
  NOT_PACKABLE: { status: 422, message: 'Only a confirmed order is packed' },
  INSUFFICIENT_STOCK: { status: 422, message: 'Not enough stock for that' },
  CART_FULL: { status: 422, message: 'The cart holds too many products' },
  WISHLIST_FULL: { status: 422, message: 'The wishlist holds too many products' },
  CART_EMPTY: { status: 422, message: 'The cart holds nothing that can be ordered' },
  UNKNOWN_ADDRESS: { status: 422, message: 'That is not one of your addresses' },
  TOO_MANY_OPEN_ORDERS: { status: 422, message: 'You have the most open orders you may have' },
  PRODUCT_LIMIT_REACHED: { status: 422, message: 'Your open orders hold the most of this product you may have' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'This key was used for another request' },
  OUTSIDE_DELIVERY_AREA: { status: 422, message: 'We do not deliver to this postcode' },
  BELOW_MINIMUM_ORDER: { status: 422, message: "The subtotal is under the delivery zone's minimum order" },
  SLOT_REQUIRED: { status: 422, message: 'This delivery zone delivers in slots: choose one' },
  UNKNOWN_SLOT: { status: 422, message: 'There is no such delivery slot' },
  SLOT_NOT_IN_ZONE: { status: 422, message: "That slot is not one of the address's delivery zone" },
  SLOT_CLOSED: { status: 422, message: 'That slot takes no more orders' },
  SLOT_FULL: { status: 422, message: 'That slot is full: choose another' },
  INVALID_TRANSITION: { status: 422, message: 'The order cannot change to that status' },
  PAYMENT_METHOD_NOT_ALLOWED: { status: 422, message: "The address's delivery zone does not take that payment method" },
  PAYMENT_METHOD_UNAVAILABLE: { status: 422, message: 'The shop takes no card payments now: choose cash on delivery' },
  NOTHING_TO_REFUND: { status: 422, message: 'Nothing of this order was paid, or all of it was given back' },
  REFUND_TOO_LARGE: { status: 422, message: 'A refund is never above what was captured and not yet refunded' },
  BAD_SIGNATURE: { status: 400, message: 'The notification is not signed by Stripe with our secret, or is too old' },
  CANNOT_CHANGE_OWN_ROLE: { status: 422, message: 'An admin cannot change their own role' },
  LAST_ADMIN: { status: 422, message: 'The last admin cannot be deleted or demoted; make another admin first' },
  TOO_MANY_ADDRESSES: { status: 422, message: 'Too many addresses' },
  EMAIL_NOT_VERIFIED: { status: 422, message: 'Confirm your email address first (the link in our mail)' },
  INVALID_TOKEN: { status: 400, message: 'The link is invalid, expired or already used; ask for a new one' },
  RATE_LIMITED: { status: 429, message: 'Too many requests, slow down', generic: true },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request line or headers are too large', generic: true },
  INTERNAL: { status: 500, message: 'Something went wrong on our side', generic: true },
  NOT_IMPLEMENTED: { status: 501, message: 'This Transfer-Encoding is not supported; send chunked or a Content-Length', generic: true },
  UNAVAILABLE: { status: 503, message: 'The service is unavailable, try again shortly', generic: true },
  PAYMENT_PROVIDER_FAILED: { status: 502, message: 'Stripe did not take the request; nothing changed here' },
  MAIL_UNAVAILABLE: { status: 503, message: 'The mail server did not take the message; it is sent again later' },
  HTTP_VERSION_NOT_SUPPORTED: { status: 505, message: 'Use HTTP/1.1 or HTTP/1.0', generic: true },
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERRORS;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERRORS, code);

/** The generic code of a status (a framework's or a proxy's refusal), if the table has one. */
export function genericCode(status: number): ErrorCode | undefined {
  return (Object.keys(ERRORS) as ErrorCode[]).find((code) => {
    const kind: ErrorKind = ERRORS[code];
    return kind.status === status && kind.generic;
  });
}

/** A broken business rule or a missing thing, named by a code of the table, which gives its status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const unauthenticated = (message = 'Authentication required') =>
  new DomainError('UNAUTHENTICATED', message);
