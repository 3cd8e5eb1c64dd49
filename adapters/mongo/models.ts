import { Schema, type Connection } from 'mongoose';

/**
 * Mongoose models on a connection the caller opened. Ids are our own opaque strings
 * (`_id: String`), so a malformed id simply matches nothing instead of failing a cast.
 */
const addressSchema = new Schema(
  { id: String, label: String, street: String, city: String, postalCode: String, country: String },
  { _id: false },
);

const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    // Lower-cased copy with a unique index: one account per email in any letter case.
    emailLower: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    phone: String,
    role: { type: String, enum: ['customer', 'admin'], required: true },
    passwordHash: { type: String, required: true },
    addresses: { type: [addressSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
userSchema.index({ createdAt: -1, _id: -1 });

const outboxSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    callId: String,
    occurredAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
outboxSchema.index({ sentAt: 1, occurredAt: 1, _id: 1 });

export function mongoModels(connection: Connection) {
  return {
    User: connection.models.User ?? connection.model('User', userSchema, 'users'),
    Outbox: connection.models.Outbox ?? connection.model('Outbox', outboxSchema, 'outbox'),
  };
}

export type MongoModels = ReturnType<typeof mongoModels>;

/** Collections and indexes, created at start-up (transactions cannot create them). */
export async function prepareMongo(connection: Connection) {
  for (const model of Object.values(mongoModels(connection))) {
    await model.createCollection().catch((error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceExists') throw error;
    });
    await model.syncIndexes();
  }
}
