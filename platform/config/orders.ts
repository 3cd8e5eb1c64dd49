/** What the shop sells in and what one customer may hold. */
import { countOrZero, currency, duration } from './kinds.js';
import { setting } from './setting.js';

export const orders = {
  shopCurrency: setting({
    env: 'SHOP_CURRENCY',
    kind: currency,
    default: 'USD',
    about: 'the one currency of the catalog, carts and orders (ISO 4217); a product in another is 422',
  }),
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
