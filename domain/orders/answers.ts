import { z } from 'zod';
import { cents, id, page, timestamp } from '../schemas.js';
import { SLOT_ID, SLOT_ID_EXAMPLE } from '../delivery/answers.js';
import { paymentStatuses } from '../payments/payment.js';
import { paymentMethods } from '../payments/provider.js';
import { orderStatuses } from './order.js';
import { taxClassAnswer, taxesAnswer } from '../catalog/tax.js';
import { soldBy } from '../catalog/weight.js';
import { IF_UNAVAILABLE } from '../cart/cart.js';

/** What the order functions answer, documented and serialised from here. */
const status = z.enum(orderStatuses);
const text = (description: string, example: string) => z.string().meta({ description, examples: [example] });

export const order = z.object({
  id: id.meta({ description: "The order's id" }),
  userId: id.meta({ description: "The customer's id" }),
  status: status.meta({
    description:
      'pending until its stock (and delivery slot) is reserved; then awaiting_payment (a card order, until Stripe says it is authorised), confirmed, shipped and delivered; or cancelled',
  }),
  items: z
    .array(
      z.object({
        productId: id.meta({ description: "The product's id" }),
        name: text("The product's name when ordered", 'Gala apples'),
        by: soldBy,
        unitPriceCents: cents('Price of one unit (of one kilogram when sold by weight) when ordered, in cents', 349),
        quantity: z.number().int().min(1).max(99).optional().meta({ description: 'Sold by the piece: units ordered', examples: [2] }),
        grams: z.number().int().min(1).optional().meta({ description: 'Sold by weight: grams ordered', examples: [500] }),
        lineTotalCents: cents('unitPriceCents × quantity; by weight, the estimate unitPriceCents × grams / 1000, rounded half up', 698),
        maxGrams: z.number().int().optional().meta({ description: 'Sold by weight: the most that may be packed, grams ordered plus WEIGHT_TOLERANCE_PERCENT (see Sold by weight)', examples: [550] }),
        taxClass: taxClassAnswer.optional().meta({ description: 'Its tax class when ordered (absent on orders placed before taxes were shown)' }),
        ifUnavailable: z.enum(IF_UNAVAILABLE).meta({ description: "The customer's wish if it cannot be packed: substitute or none (refunded)" }),
        packed: z
          .object({
            quantity: z.number().int().min(0).optional().meta({ description: 'Sold by the piece: units that went (0: none, the line is refunded)', examples: [1] }),
            grams: z.number().int().min(0).optional().meta({ description: 'Sold by weight: grams weighed at packing (0: none)', examples: [530] }),
            substitute: z
              .object({ productId: id.meta({ description: "The substitute's id" }), name: text("The substitute's name", 'Pink Lady apples') })
              .optional()
              .meta({ description: 'Another product packed in its place, charged at the lower of the two prices' }),
            unitPriceCents: cents('The price charged per unit (per kilogram by weight): the line\'s, or the lower one for a substitute', 349),
            lineTotalCents: cents('What the line costs as packed', 1855),
          })
          .optional()
          .meta({ description: 'What went out at packing (PATCH /api/admin/orders/{id}/lines/{productId}); absent until packed: the line goes as ordered' }),
      }),
    )
    .meta({ description: 'The lines of the order, as the cart held them' }),
  subtotalCents: cents("The lines' total, in cents: each line as packed once packed, else as ordered (by weight, the estimate)", 698),
  deliveryFeeCents: cents("The delivery zone's fee, in cents (0 over its free-delivery threshold or with no zones), decided at placement", 299),
  totalCents: cents('subtotalCents + deliveryFeeCents, in cents: what the customer pays; after packing, the final total', 997),
  taxes: taxesAnswer('totalCents (after packing, the final total), the delivery fee at DELIVERY_TAX_CLASS, at the rates of its placement (empty for orders placed before taxes were shown)'),
  currency: text('ISO 4217', 'USD'),
  delivery: z
    .object({
      zone: z
        .object({ id: id.meta({ description: "The zone's id" }), name: text("The zone's name", 'City centre') })
        .meta({ description: 'The delivery zone of the address, as it was at placement' }),
      slot: z
        .object({
          id: text(SLOT_ID, SLOT_ID_EXAMPLE),
          start: timestamp.meta({ description: 'When the slot starts (ISO 8601, UTC)' }),
          end: timestamp.meta({ description: 'When it ends (ISO 8601, UTC)' }),
        })
        .optional()
        .meta({ description: 'The delivery slot the order holds a place in; absent when its zone delivers without slots' }),
    })
    .optional()
    .meta({ description: 'The delivery zone and slot; absent while the shop has no delivery zones' }),
  address: z
    .object({
      label: text('A name for it, such as Home', 'Home').optional(),
      street: text('Street and number', '1 Main St').optional(),
      city: text('City or town', 'Springfield').optional(),
      postalCode: text('Postal or ZIP code', '12345').optional(),
      country: text('Country', 'US'),
    })
    .meta({ description: 'As given at placement; only the country is kept once the customer deleted their account' }),
  note: text('For the delivery', 'Ring twice').optional(),
  cancelReason: text(
    'Why it was cancelled: cancelled_by_customer, cancelled_by_admin, out_of_stock, slot_full, expired, account_deleted, payment_failed or payment_expired',
    'cancelled_by_customer',
  ).optional(),
  payment: z
    .object({
      method: z.enum(paymentMethods).meta({ description: 'cash_on_delivery or card' }),
      status: z.enum(paymentStatuses).meta({
        description:
          'pending: nothing paid yet; authorized: the card holds the amount; captured: taken (a card at shipping, cash at delivery); refunded: all given back; voided: the authorisation released when the order was cancelled; failed: declined, or cancelled unpaid',
      }),
      amountCents: cents('What is authorised (card) or due (cash), in cents', 997),
      capturedCents: cents('Taken so far, in cents', 0),
      refundedCents: cents('Given back so far, in cents', 0),
      refunds: z
        .array(
          z.object({
            id: id.meta({ description: "The refund's id" }),
            amountCents: cents('Given back, in cents', 300),
            reason: text('Why', 'bruised apples'),
            at: timestamp.meta({ description: 'When (ISO 8601, UTC)' }),
            by: z.string().meta({ description: 'The admin who made it, or `system` (a cancelled order)' }),
          }),
        )
        .meta({ description: 'Refunds made, oldest first' }),
      intentId: text("Stripe's PaymentIntent id (card)", 'pi_3Qx…').optional(),
      clientSecret: text(
        "The PaymentIntent's client secret: pay it with Stripe.js (confirmPayment). Only to the order's owner, only while the order is awaiting_payment",
        'pi_3Qx…_secret_…',
      ).optional(),
    })
    .optional()
    .meta({ description: 'How the order is paid, and how far; absent on orders from before payments' }),
  history: z
    .array(
      z.object({
        status: status.meta({ description: 'The status it moved to' }),
        at: timestamp.meta({ description: 'When (ISO 8601, UTC)' }),
        by: z.string().meta({ description: 'The user who moved it, or `system` (the saga)' }),
        reason: text('Why, when it says', 'out_of_stock').optional(),
      }),
    )
    .meta({ description: 'Every status it had, oldest first' }),
  createdAt: timestamp.meta({ description: 'When it was placed (ISO 8601, UTC)' }),
  updatedAt: timestamp.meta({ description: 'When it last changed (ISO 8601, UTC)' }),
});

export const orderAnswer = z.object({ order: order.meta({ description: 'The order' }) });
export const ordersPage = page(order);
