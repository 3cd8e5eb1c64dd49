import { Schema, type Connection } from 'mongoose';
import { roles } from '#domain/users/user.js';
import { ALLERGENS, DIETS } from '#domain/catalog/food.js';
import { TAX_CLASSES } from '#domain/catalog/tax.js';
import { SOLD_BY } from '#domain/catalog/weight.js';
import { historySchema, orderAddressSchema, orderItemSchema, paymentSchema } from './order-parts.js';

/**
 * Mongoose models on a connection the caller opened. Ids are our own opaque strings
 * (`_id: String`), so a malformed id simply matches nothing instead of failing a cast.
 * The schemas hold what the SQL tables hold (types, NOT NULL, CHECKs); `strict: 'throw'` refuses
 * a field the schema does not name instead of dropping it silently. Updates run the validators
 * too (`runValidators` in the repositories): mongoose skips them on updates otherwise.
 */
const text = { type: String, required: true };

// Whole minor units and whole items, as PostgreSQL's integer columns are: 2.5 is refused, not stored.
const wholeNumber = { validator: Number.isInteger, message: '{PATH} must be a whole number, not {VALUE}' };

const addressSchema = new Schema(
  { id: text, label: String, street: text, city: text, postalCode: text, country: text },
  { _id: false, strict: 'throw' },
);

const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    // Lower-cased copy with a unique index: one account per email in any letter case.
    emailLower: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    phone: String,
    role: { type: String, enum: roles, required: true },
    passwordHash: { type: String, required: true },
    addresses: { type: [addressSchema], default: [] },
    emailVerified: { type: Boolean, default: false },
    marketingEmails: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
userSchema.index({ createdAt: -1, _id: -1 });

/** One-time tokens (password reset, email verification), by their SHA-256 (adapters/mongo/mongo-tokens.ts). */
const oneTimeTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    purpose: { type: String, required: true },
    userId: { type: String, required: true },
    email: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: Date,
  },
  { versionKey: false, strict: 'throw' },
);
oneTimeTokenSchema.index({ userId: 1, purpose: 1 });
oneTimeTokenSchema.index({ expiresAt: 1 });

const outboxSchema = new Schema(
  {
    _id: { type: String, required: true },
    // The write order, from the counter below: the order PostgreSQL's sequence gives, which
    // neither a client clock nor ids made in several processes can.
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    callId: String,
    occurredAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    // A relay holds what it claimed until then (see Outbox.claim); claimedBy finds its own claims.
    claimedUntil: { type: Date, default: null },
    claimedBy: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);
outboxSchema.index({ sentAt: 1, seq: 1 });

/** Named counters: `{ _id: 'outbox', seq }` numbers the outbox. */
const counterSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { versionKey: false });

const categorySchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    // Bumped by every product write that puts a product in the category (mongo-catalog.ts holdCategory, mongo-categories.ts).
    productWrites: { type: Number, default: 0 },
  },
  { versionKey: false, strict: 'throw' },
);

const allergenList = { type: [{ type: String, enum: ALLERGENS }], required: true };
const allergensSchema = new Schema({ contains: allergenList, mayContain: allergenList }, { _id: false, strict: 'throw' });
const per100g = { type: Number, required: true, min: 0, max: 100 };
const nutritionSchema = new Schema(
  { energyKcal: { type: Number, required: true, min: 0, max: 900 }, fat: per100g, saturates: per100g, carbohydrate: per100g, sugars: per100g, protein: per100g, salt: per100g },
  { _id: false, strict: 'throw' },
);

const productSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    // Lower-cased copy for the name sort, so "apple" and "Apple" sort together.
    nameLower: { type: String, required: true },
    description: { type: String, default: '' },
    category: { type: String, required: true },
    priceCents: { type: Number, required: true, min: 0, validate: wholeNumber },
    currency: { type: String, required: true },
    // Available: onHand less what orders hold (holds below); 0 <= stock <= onHand.
    stock: { type: Number, required: true, min: 0, validate: wholeNumber },
    // On the shelf. Documents from before it get it at start-up (fillOnHand in mongo-catalog.ts).
    onHand: { type: Number, required: true, min: 0, validate: wholeNumber },
    unit: { type: String, required: true },
    // Which VAT rate the price holds (domain/catalog/tax.ts); documents from before read as standard.
    taxClass: { type: String, enum: TAX_CLASSES, default: 'standard' },
    imageUrl: String,
    thumbnailUrl: String,
    imageId: String,
    available: { type: Boolean, required: true },
    // The words of name and description (domain/catalog/search-words.ts); a search matches their prefixes.
    searchWords: [String],
    // The name's own words: relevance puts a name match before a description match.
    nameWords: [String],
    deletedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    // The orders holding stock of the product, with how much: { <order id>: 3 } (mongo-stock.ts).
    holds: { type: Schema.Types.Mixed, default: () => ({}) },
    // Food facts (domain/catalog/food.ts); allergens null: not declared.
    allergens: { type: allergensSchema, default: null },
    // Contains and may contain together, null when not declared: the listing's excludeAllergens.
    allergenRisk: { type: [{ type: String, enum: ALLERGENS }], default: null },
    diets: { type: [{ type: String, enum: DIETS }], default: [] },
    ingredients: { type: String, default: '' },
    nutrition: { type: nutritionSchema, default: null },
    // Sold by the piece or by weight (domain/catalog/weight.ts): by weight, priceCents is per
    // kilogram and stock, onHand and holds count grams. Documents from before: by the piece.
    by: { type: String, enum: SOLD_BY, default: 'piece' },
    stepGrams: { type: Number, min: 1, validate: wholeNumber },
    minGrams: { type: Number, min: 1, validate: wholeNumber },
    typicalGrams: { type: Number, min: 1, validate: wholeNumber },
  },
  { versionKey: false, strict: 'throw', minimize: false },
);
/** Aggregation expressions over a product document: the units its orders hold, and its on-hand count. */
export const heldUnits = { $sum: { $map: { input: { $objectToArray: { $ifNull: ['$holds', {}] } }, in: '$$this.v' } } };
// A document without onHand (stored before it existed, or by the previous version during a rolling
// deploy) has all its units in stock or held.
export const onHandNow = { $ifNull: ['$onHand', { $add: ['$stock', heldUnits] }] };

// One index per way the listing filters or sorts; every listing query starts with deletedAt: null.
productSchema.index({ deletedAt: 1, createdAt: -1, _id: -1 });
productSchema.index({ deletedAt: 1, category: 1, createdAt: -1, _id: -1 });
productSchema.index({ deletedAt: 1, priceCents: 1, _id: 1 });
productSchema.index({ deletedAt: 1, nameLower: 1, _id: 1 });
// Multikey: one entry per word, so an anchored prefix ("^appl") is a range scan of it.
productSchema.index({ deletedAt: 1, searchWords: 1 });
// Multikey: ?diet=vegan reads the entries of one label. excludeAllergens is a negation ($nin),
// read as a filter over what the other indexes find.
productSchema.index({ deletedAt: 1, diets: 1 });

const orderSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    status: { type: String, enum: ['pending', 'awaiting_payment', 'confirmed', 'shipped', 'delivered', 'cancelled'], required: true },
    items: { type: [orderItemSchema], required: true },
    totalCents: { type: Number, required: true, min: 0 },
    // Orders from before delivery fees have neither: their lines were the whole total.
    subtotalCents: { type: Number, min: 0 },
    deliveryFeeCents: { type: Number, min: 0 },
    currency: { type: String, required: true },
    // The VAT rates at placement (domain/catalog/tax.ts); absent on orders from before.
    tax: {
      type: new Schema(
        {
          rates: { type: new Schema({ standard: Number, reduced: Number, zero: Number }, { _id: false, strict: 'throw' }), required: true },
          deliveryClass: { type: String, enum: TAX_CLASSES, required: true },
        },
        { _id: false, strict: 'throw' },
      ),
    },
    address: { type: orderAddressSchema, required: true },
    delivery: { type: new Schema({ zone: { id: String, name: String }, slot: { id: String, start: Date, end: Date } }, { _id: false }) },
    // The slot's id on its own, for the admin's list of a slot's orders.
    slotId: String,
    note: String,
    cancelReason: String,
    // How it is paid and how far (domain/payments/payment.ts); absent on orders from before.
    payment: { type: paymentSchema },
    history: { type: [historySchema], required: true },
    idempotencyKey: { type: String, required: true },
    requestHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
// One order per customer and Idempotency-Key; a customer's list (by status too); the admin's list.
orderSchema.index({ userId: 1, idempotencyKey: 1 }, { unique: true });
orderSchema.index({ userId: 1, createdAt: -1, _id: -1 });
orderSchema.index({ userId: 1, status: 1, createdAt: -1, _id: -1 });
orderSchema.index({ createdAt: -1, _id: -1 });
orderSchema.index({ status: 1, createdAt: -1, _id: -1 });
orderSchema.index({ slotId: 1, createdAt: -1, _id: -1 }, { partialFilterExpression: { slotId: { $exists: true } } });

const zoneSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    postcodes: { type: [String], required: true },
    feeCents: { type: Number, required: true, min: 0, validate: wholeNumber },
    minimumOrderCents: { type: Number, required: true, min: 0, validate: wholeNumber },
    freeOverCents: { type: Number, min: 0, validate: wholeNumber },
    // Absent (no default): every method the shop offers.
    paymentMethods: { type: [{ type: String, enum: ['cash_on_delivery', 'card'] }], default: undefined },
    timetable: { type: [new Schema({ weekday: Number, start: String, end: String, capacity: Number }, { _id: false })], default: [] },
    closedDays: { type: [String], default: [] },
    capacityOverrides: { type: [new Schema({ date: String, start: String, capacity: Number }, { _id: false })], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);

/** A delivery slot's places: `taken`, and each order holding one in `holds` ({ <order id>: 1 }). */
const slotSchema = new Schema(
  {
    _id: { type: String, required: true },
    zoneId: { type: String, required: true },
    taken: { type: Number, required: true, min: 0 },
    holds: { type: Schema.Types.Mixed, default: () => ({}) },
  },
  { versionKey: false, minimize: false },
);

const reservationSchema = new Schema(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: ['reserved', 'rejected', 'released', 'settled'], required: true },
    /** Why a rejected order was rejected. */
    reason: { type: String, enum: ['out_of_stock', 'slot_full'] },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function mongoModels(connection: Connection) {
  return {
    User: connection.models.User ?? connection.model('User', userSchema, 'users'),
    Outbox: connection.models.Outbox ?? connection.model('Outbox', outboxSchema, 'outbox'),
    Counter: connection.models.Counter ?? connection.model('Counter', counterSchema, 'counters'),
    Category: connection.models.Category ?? connection.model('Category', categorySchema, 'categories'),
    Product: connection.models.Product ?? connection.model('Product', productSchema, 'products'),
    Order: connection.models.Order ?? connection.model('Order', orderSchema, 'orders'),
    DeliveryZone: connection.models.DeliveryZone ?? connection.model('DeliveryZone', zoneSchema, 'delivery_zones'),
    DeliverySlot: connection.models.DeliverySlot ?? connection.model('DeliverySlot', slotSchema, 'delivery_slots'),
    Reservation: connection.models.Reservation ?? connection.model('Reservation', reservationSchema, 'reservations'),
    OneTimeToken: connection.models.OneTimeToken ?? connection.model('OneTimeToken', oneTimeTokenSchema, 'one_time_tokens'),
  };
}

export type MongoModels = ReturnType<typeof mongoModels>;

/** A duplicate-key error on the unique index of `field` (not, say, a clash of `_id`). */
export function duplicateKeyOn(error: unknown, field: string) {
  const e = error as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
  return e.code === 11000 && (e.keyPattern ? field in e.keyPattern : (e.message ?? '').includes(field));
}
