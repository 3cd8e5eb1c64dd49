/** What the shop sells in and what one customer may hold. */
import { count, countOrZero, currency, duration, timeZone } from './kinds.js';
import { setting } from './setting.js';

export const orders = {
  shopCurrency: setting({
    env: 'SHOP_CURRENCY',
    kind: currency,
    default: 'USD',
    about: 'the one currency of the catalog, carts and orders (ISO 4217); a product in another is 422',
  }),
  /** Delivery slots (domain/delivery/slots.ts): the shop's time zone and the cut-off. */
  delivery: {
    timezone: setting({
      env: 'SHOP_TIMEZONE',
      kind: timeZone,
      default: 'UTC',
      about: "the shop's IANA time zone, such as `Europe/Berlin`: delivery timetables, closed days and the slots' `from` are in it (see Delivery)",
    }),
    cutoffMinutes: setting({
      env: 'SLOT_CUTOFF_MINUTES',
      kind: count({ min: 0, max: 10_080, what: 'minutes' }),
      default: '120',
      about: 'a delivery slot takes orders until this many minutes before it starts',
    }),
  },
  /** What one customer may hold in open orders at once. */
  orderLimits: {
    maxOpenOrders: setting({
      env: 'MAX_OPEN_ORDERS',
      kind: countOrZero(5),
      default: '5',
      about: 'per customer: open orders (pending or confirmed) at most, else 422 `TOO_MANY_OPEN_ORDERS` (see Security); `0` is the default',
    }),
    maxUnitsPerProduct: setting({
      env: 'MAX_UNITS_PER_PRODUCT',
      kind: countOrZero(99),
      default: '99',
      about: 'per customer: units of one product across their open orders at most, else 422 `PRODUCT_LIMIT_REACHED`; `0` is the default',
    }),
  },
  /** How far above the ordered weight a packer may weigh a line sold by weight (domain/orders/packing.ts). */
  weightTolerancePercent: setting({
    env: 'WEIGHT_TOLERANCE_PERCENT',
    kind: count({ min: 0, max: 100, what: 'a percentage' }),
    default: '10',
    about:
      'a line sold by weight may be packed up to this many percent above the weight ordered (any amount below), else 422 ' +
      '`WEIGHT_BEYOND_TOLERANCE`; kept with each order at placement, and authorised on top of the estimate (see Sold by weight)',
  }),
  /** Milliseconds an order may stay pending before expire-pending-orders settles it. */
  orderPendingTimeoutMs: setting({
    env: 'ORDER_PENDING_TIMEOUT',
    kind: duration({ unit: 'ms' }),
    default: '15m',
    about:
      'an order still pending this long is settled by `expire-pending-orders` (confirmed if its stock was reserved, ' +
      'else cancelled `expired` or `out_of_stock`)',
  }),
};
