import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { DomainError } from '#domain/errors.js';
import { BadSignature } from '#domain/payments/provider.js';

/**
 * Stripe's notifications about the shop's PaymentIntents: the signature is checked against the
 * webhook secret over the body's exact bytes, then the order moves (confirmed once authorised;
 * cancelled payment_failed when declined or cancelled at Stripe). Each event once by its id.
 */
export default defineFunction({
  method: 'POST',
  access: 'public',
  summary: "Stripe's webhook: a signed PaymentIntent event moves its order",
  description:
    'Point a Stripe webhook endpoint here with the events payment_intent.amount_capturable_updated, payment_intent.succeeded, ' +
    'payment_intent.payment_failed and payment_intent.canceled; its signing secret is STRIPE_WEBHOOK_SECRET. Events about ' +
    'anything else, or arriving twice or late, answer 200 and change nothing.',
  response: z.object({
    received: z.literal(true).meta({ description: 'Stripe stops resending once it gets a 2xx' }),
    outcome: z.enum(['applied', 'duplicate', 'ignored']).meta({ description: 'applied: the order moved; duplicate: this event was handled before; ignored: nothing to do' }),
  }),
  errors: { BAD_SIGNATURE: 'no Stripe-Signature, another secret, a changed body, or older than 5 minutes (a replay)', CONFLICT: 'the order is changing: Stripe retries' },
  headers: z.object({ 'stripe-signature': z.string().max(2000).optional().meta({ description: "Stripe's signature of the body (t=…,v1=…)" }) }),
  rawBody: 'A Stripe event object, exactly as Stripe sent it: its signature covers these bytes',
  handler: async ({ rawBody, headers, callId, deps }) => {
    let notice;
    try {
      if (!deps.cardPayments) throw new BadSignature('The shop takes no cards (no STRIPE_SECRET_KEY)');
      notice = await deps.cardPayments.readEvent(rawBody ?? Buffer.alloc(0), headers['stripe-signature']);
    } catch (error) {
      if (error instanceof BadSignature || (error as Error).name === 'BadSignature') throw new DomainError('BAD_SIGNATURE', 'The notification is not signed by Stripe with our secret, or is too old');
      throw error;
    }
    return { received: true as const, outcome: await deps.orders.providerEvent(notice, { callId }) };
  },
});
