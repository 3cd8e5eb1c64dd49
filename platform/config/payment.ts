/** How customers pay: cash on delivery always, cards through Stripe when its key is set. */
import { httpBase, kind, positive } from './kinds.js';
import { setting } from './setting.js';

/**
 * A Stripe key of these prefixes, or `none`: read as unset (cash only). OpenFaaS has no empty
 * secret (faas-cli refuses one), and every function that may take a card names the secret.
 */
const stripeKey = (prefixes: string[], what: string) =>
  kind((value) => {
    const text = value.trim();
    if (text === 'none') return '';
    return prefixes.some((p) => text.startsWith(p)) ? text : undefined;
  }, `is not ${what} (${prefixes.map((p) => `${p}…`).join(' or ')}), nor \`none\``);

export const payment = {
  payment: {
    stripeSecretKey: setting({
      env: 'STRIPE_SECRET_KEY',
      kind: stripeKey(['sk_', 'rk_'], 'a Stripe secret key'),
      secret: true,
      unset: 'cash on delivery only (said in the start-up log)',
      about: "Stripe's secret API key (`sk_live_…`, `sk_test_…`, or a restricted `rk_…`): customers may pay by card (see [Payment](#payment)); `none` is unset",
    }),
    stripeWebhookSecret: setting({
      env: 'STRIPE_WEBHOOK_SECRET',
      kind: stripeKey(['whsec_'], "a Stripe webhook's signing secret"),
      secret: true,
      unset: 'every webhook is refused (400)',
      about: "the signing secret of the shop's Stripe webhook endpoint (`whsec_…`), which `stripe-webhook` checks every notification against; `none` is unset",
    }),
    stripePublishableKey: setting({
      env: 'STRIPE_PUBLISHABLE_KEY',
      kind: stripeKey(['pk_'], 'a Stripe publishable key'),
      unset: 'the storefront cannot show the card form (card orders still go through the API)',
      about: "Stripe's publishable key (`pk_live_…`, `pk_test_…`), which the storefront loads Stripe.js with (`GET /api/payments/settings` answers it); `none` is unset",
    }),
    stripeJsUrl: setting({
      env: 'STRIPE_JS_URL',
      kind: httpBase,
      only: 'tests and stand-ins',
      unset: 'Stripe.js from `https://js.stripe.com/v3/`',
      about: "another address for Stripe.js, such as the fake of the browser tests; the runtime's Content-Security-Policy allows its origin instead of js.stripe.com",
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
