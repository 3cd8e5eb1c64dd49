import type Stripe from 'stripe';
import { BadSignature, type CardPayments, type ProviderEventKind } from '#domain/payments/provider.js';

const kinds: Record<string, ProviderEventKind> = {
  'payment_intent.amount_capturable_updated': 'authorized',
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'canceled',
};

/** Seconds a signed notification stays acceptable (Stripe's own default): an older one is a replay. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Card payments on Stripe (the official SDK): PaymentIntents with manual capture, refunds, and
 * the signed webhook. Amounts are in the currency's smallest unit, as the shop's cents are.
 */
export function stripePayments(stripe: Stripe, webhookSecret: string | undefined): CardPayments {
  return {
    async createIntent({ orderId, amountCents, currency }) {
      const intent = await stripe.paymentIntents.create(
        {
          amount: amountCents,
          currency: currency.toLowerCase(),
          capture_method: 'manual',
          automatic_payment_methods: { enabled: true },
          metadata: { orderId },
        },
        // The same order again (a retried saga step) answers the intent made the first time.
        { idempotencyKey: `order-${orderId}-intent` },
      );
      return { intentId: intent.id, clientSecret: intent.client_secret ?? '' };
    },

    async capture(intentId, amountCents, idempotencyKey) {
      try {
        return (await stripe.paymentIntents.capture(intentId, { amount_to_capture: amountCents }, { idempotencyKey })).amount_received;
      } catch (error) {
        if ((error as { code?: string }).code !== 'payment_intent_unexpected_state') throw error;
        // Captured already, outside this call: what Stripe took stands, and the order records it.
        const intent = await stripe.paymentIntents.retrieve(intentId);
        if (intent.status !== 'succeeded') throw error;
        return intent.amount_received;
      }
    },

    async cancel(intentId, idempotencyKey) {
      const intent = await stripe.paymentIntents.retrieve(intentId);
      if (intent.status === 'canceled') return;
      // Captured already (a shipment racing the cancellation): the money goes back instead.
      if (intent.status === 'succeeded') await stripe.refunds.create({ payment_intent: intentId }, { idempotencyKey });
      else await stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey });
    },

    async refund(intentId, amountCents, idempotencyKey) {
      await stripe.refunds.create({ payment_intent: intentId, amount: amountCents }, { idempotencyKey });
    },

    async readEvent(rawBody, signature) {
      if (!webhookSecret || !signature) throw new BadSignature('No signature, or no webhook secret to check it with');
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, webhookSecret, WEBHOOK_TOLERANCE_SECONDS);
      } catch (error) {
        throw new BadSignature((error as Error).message);
      }
      const object = event.data.object as { object?: string; id?: string; metadata?: Record<string, string> | null };
      const intent = object.object === 'payment_intent' ? object : undefined;
      return {
        id: event.id,
        type: event.type,
        kind: kinds[event.type] ?? 'other',
        ...(intent?.id ? { intentId: intent.id } : {}),
        ...(intent?.metadata?.orderId ? { orderId: intent.metadata.orderId } : {}),
      };
    },
  };
}
