import { Schema } from 'mongoose';
import { TAX_CLASSES } from '#domain/catalog/tax.js';
import { SOLD_BY } from '#domain/catalog/weight.js';

/** The parts of an order document (models.ts): its lines, address, history and payment. */
// What went out at packing (domain/orders/order.ts PackedLine); absent until then.
const packedSchema = new Schema(
  { quantity: Number, substitute: { type: new Schema({ productId: String, name: String }, { _id: false }), default: undefined }, unitPriceCents: Number, lineTotalCents: Number },
  { _id: false },
);
// by and ifUnavailable are missing on lines from before weights and wishes: piece, none.
export const orderItemSchema = new Schema(
  {
    productId: String,
    name: String,
    by: { type: String, enum: SOLD_BY },
    unitPriceCents: Number,
    quantity: Number,
    lineTotalCents: Number,
    maxGrams: Number,
    ifUnavailable: { type: String, enum: ['substitute', 'none'] },
    taxClass: { type: String, enum: TAX_CLASSES },
    packed: { type: packedSchema, default: undefined },
  },
  { _id: false },
);
export const orderAddressSchema = new Schema({ label: String, street: String, city: String, postalCode: String, country: String }, { _id: false });
export const historySchema = new Schema({ status: String, at: Date, by: String, reason: String }, { _id: false });

const refundSchema = new Schema({ id: String, amountCents: Number, reason: String, at: Date, by: String }, { _id: false });
export const paymentSchema = new Schema(
  {
    method: { type: String, enum: ['cash_on_delivery', 'card'], required: true },
    status: { type: String, enum: ['pending', 'authorized', 'captured', 'refunded', 'voided', 'failed'], required: true },
    amountCents: { type: Number, required: true, min: 0 },
    capturedCents: { type: Number, required: true, min: 0 },
    refundedCents: { type: Number, required: true, min: 0 },
    refunds: { type: [refundSchema], default: [] },
    intentId: String,
    clientSecret: String,
    handledEvents: { type: [String], default: [] },
    version: { type: Number, required: true },
  },
  { _id: false },
);
