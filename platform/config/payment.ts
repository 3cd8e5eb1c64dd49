/** How customers pay: cash on delivery always, cards through Stripe when its key is set. */
import { httpBase, positive, text } from './kinds.js';
import { setting } from './setting.js';

export const payment = {
  payment: {
    stripeSecretKey: setting({
      env: 'STRIPE_SECRET_KEY',
      kind: text,
      secret: true,
      unset: 'cash on delivery only (said in the start-up log)',
      about: "Stripe's secret API key (`sk_live_…`, `sk_test_…`): customers may pay by card (see [Payment](#payment))",
    }),
    stripeWebhookSecret: setting({
      env: 'STRIPE_WEBHOOK_SECRET',
      kind: text,
      secret: true,
      unset: 'every webhook is refused (400)',
      about: "the signing secret of the shop's Stripe webhook endpoint (`whsec_…`), which `stripe-webhook` checks every notification against",
    }),
    stripeApiUrl: setting({
      env: 'STRIPE_API_URL',
      kind: httpBase,
      only: 'tests and stand-ins',
      unset: "Stripe's own API (`https://api.stripe.com`)",
      about: 'another address for the Stripe API, such as the stand-in of the tests (`http://127.0.0.1:4010`)',
    }),
    timeoutMinutes: setting({
      env: 'PAYMENT_TIMEOUT_MINUTES',
      kind: positive('a number of minutes above 0 (fractions allowed)'),
      default: '15',
      about: 'a card order still awaiting its payment this long is cancelled `payment_expired` by `expire-pending-orders`',
    }),
  },
};
