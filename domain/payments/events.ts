import { z } from 'zod';
import { cents, id } from '../schemas.js';
import { paymentMethods } from './provider.js';

const about = {
  orderId: id.meta({ description: "The order's id" }),
  userId: id.meta({ description: "The customer's id" }),
  method: z.enum(paymentMethods).meta({ description: 'How the order is paid' }),
};

/**
 * The events of payments: name → the schema of its `data`, with what it means and the functions
 * that emit it (domain/events.ts merges every area's). The order's own moves (awaiting_payment,
 * confirmed, cancelled payment_failed or payment_expired) are order events beside these.
 */
export const paymentEvents = {
  'payment.authorized': z
    .object({ ...about, amountCents: cents('Held on the card, in cents', 997) })
    .meta({ description: "The customer's card is authorised for the order (Stripe said so); the order is confirmed with it", producers: ['stripe-webhook'] }),
  'payment.captured': z
    .object({ ...about, amountCents: cents('Taken, in cents', 997) })
    .meta({ description: 'The money is taken: a card order at shipping, cash at delivery', producers: ['update-order-status'] }),
  'payment.refunded': z
    .object({ ...about, amountCents: cents('Given back now, in cents', 300), refundedCents: cents('Given back in all, in cents', 300), reason: z.string().meta({ description: 'Why', examples: ['bruised apples'] }) })
    .meta({ description: 'Money given back: an admin refund, or a captured order cancelled', producers: ['refund-order', 'void-payment'] }),
  'payment.voided': z
    .object({ ...about, status: z.enum(['voided', 'failed']).meta({ description: 'voided: an authorisation released; failed: an unpaid intent cancelled' }) })
    .meta({ description: "A cancelled order's card intent cancelled at Stripe: nothing will be taken", producers: ['void-payment'] }),
};
