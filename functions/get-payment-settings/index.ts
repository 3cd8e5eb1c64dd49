import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';

/** Stripe.js comes from Stripe itself in production (STRIPE_JS_URL aims it elsewhere in tests). */
export const STRIPE_JS = 'https://js.stripe.com/v3/';

/**
 * What a browser needs to take a card: whether the shop takes cards, the publishable key and
 * where Stripe.js comes from. Public and the same for everyone (nothing secret in it).
 */
export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: 'How the storefront takes cards: Stripe’s publishable key and Stripe.js',
  response: z.object({
    card: z.boolean().meta({ description: 'The shop takes cards (STRIPE_SECRET_KEY is set); a zone may still take only cash', examples: [true] }),
    publishableKey: z
      .string()
      .optional()
      .meta({ description: "Stripe's publishable key (STRIPE_PUBLISHABLE_KEY), for Stripe.js; absent: a browser cannot show the card form", examples: ['pk_test_51H…'] }),
    stripeJsUrl: z.string().meta({ description: 'Where to load Stripe.js from', examples: [STRIPE_JS] }),
  }),
  handler: async ({ deps }) => {
    const { stripeSecretKey, stripePublishableKey, stripeJsUrl } = deps.config.payment;
    return {
      card: Boolean(stripeSecretKey),
      ...(stripePublishableKey ? { publishableKey: stripePublishableKey } : {}),
      stripeJsUrl: stripeJsUrl ?? STRIPE_JS,
    };
  },
});
