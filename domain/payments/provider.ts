/**
 * Card payments through a provider (Stripe): the port the saga, the shipping and the webhook use.
 * The shop never sees card data: the customer pays the intent in the provider's own form, with
 * the client secret the order answers to its owner; the provider's signed notifications say how
 * it went.
 */

export const paymentMethods = ['cash_on_delivery', 'card'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** An authorisation the customer completes with the provider: its id, and the secret their browser needs. */
export interface CardIntent {
  intentId: string;
  clientSecret: string;
}

/** What a provider's notification says, in the shop's words. */
export type ProviderEventKind = 'authorized' | 'succeeded' | 'failed' | 'canceled' | 'other';

export interface ProviderEvent {
  /** The provider's event id: each is handled once. */
  id: string;
  /** The provider's own name for it (`payment_intent.succeeded`). */
  type: string;
  kind: ProviderEventKind;
  intentId?: string;
  /** The order the intent was made for (its metadata). */
  orderId?: string;
}

/** A notification whose signature does not check out: forged, unsigned, or too old (replayed). */
export class BadSignature extends Error {
  override name = 'BadSignature';
}

/** Card payments at the provider. Every call that moves money carries an idempotency key, so a retry never moves it twice. */
export interface CardPayments {
  /** An intent to authorise `amountCents` (captured later, by hand); the same order again answers the same intent. */
  createIntent(input: { orderId: string; amountCents: number; currency: string }): Promise<CardIntent>;
  /**
   * Takes `amountCents` of the authorisation (at most what was authorised) and answers what was
   * taken: the amount already taken when the intent was captured before (from the provider's
   * dashboard, or by a shipment retried after its idempotency key expired).
   */
  capture(intentId: string, amountCents: number, idempotencyKey: string): Promise<number>;
  /** Voids the authorisation, or refunds all that was captured; nothing when it is cancelled already. */
  cancel(intentId: string, idempotencyKey: string): Promise<void>;
  /** Gives back `amountCents` of what was captured. */
  refund(intentId: string, amountCents: number, idempotencyKey: string): Promise<void>;
  /** Checks a notification's signature against the webhook secret and reads it; throws BadSignature. */
  readEvent(rawBody: Buffer, signature: string | undefined): Promise<ProviderEvent>;
}
