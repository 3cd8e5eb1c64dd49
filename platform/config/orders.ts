/** What the shop sells in and what one customer may hold. */
import { parseTaxRates, TAX_CLASSES } from '#domain/catalog/tax.js';
import { z } from 'zod';
import { count, countOrZero, currency, duration, kind, timeZone } from './kinds.js';
import { setting } from './setting.js';

/** `standard=20,reduced=5,zero=0`: the words of a refusal come from the domain's parser. */
const taxRates = z.string().transform((text, ctx) => {
  const rates = parseTaxRates(text);
  if (typeof rates === 'string') {
    ctx.addIssue({ code: 'custom', message: rates });
    return z.NEVER;
  }
  return rates;
});

export const orders = {
  shopCurrency: setting({
    env: 'SHOP_CURRENCY',
    kind: currency,
    default: 'USD',
    about: 'the one currency of the catalog, carts and orders (ISO 4217); a product in another is 422',
  }),
  /** Food VAT (domain/catalog/tax.ts): prices include it; carts and orders show it per rate. */
  tax: {
    rates: setting({
      env: 'TAX_RATES',
      kind: taxRates,
      default: 'standard=20,reduced=5,zero=0',
      about:
        'the VAT rate of each tax class in percent, at most two decimals (`standard=20,reduced=5.5,zero=0`); prices include it, ' +
        'carts and orders show it per rate, an order keeps the rates it was placed with (see Food VAT)',
    }),
    deliveryClass: setting({
      env: 'DELIVERY_TAX_CLASS',
      kind: kind((text) => TAX_CLASSES.find((c) => c === text.trim()), `is not one of ${TAX_CLASSES.join(', ')}`),
      default: 'standard',
      about: "the tax class of an order's delivery fee: standard, reduced or zero",
    }),
  },
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
      'else cancelled `expired`, or `out_of_stock` or `slot_full` as the stock step decided)',
  }),
};
