import type { Connection } from 'mongoose';
import type { Store } from '#domain/store.js';
import { mongoCategories } from './mongo-categories.js';
import { fillOnHand, fillSearchWords, mongoProducts } from './mongo-catalog.js';
import { mongoSlots, mongoZones } from './mongo-delivery.js';
import { createMissing } from './mongo-indexes.js';
import { mongoOrders } from './mongo-orders.js';
import { mongoOutbox } from './mongo-outbox.js';
import { mongoReservations, mongoStock } from './mongo-stock.js';
import { mongoTokens } from './mongo-tokens.js';
import { mongoUsers } from './mongo-users.js';

export interface MongoStoreOptions {
  /** Runs before the connection closes (a test drops its database). */
  beforeClose?: () => Promise<void>;
  /** What start-up could not put in step with the schema (an index to rebuild on purpose). */
  warn?: (message: string) => void;
}

/**
 * Every repository on one MongoDB connection, after the start-up step: missing collections and
 * indexes are created (never dropped: see mongo-indexes.ts) and old products get search words and onHand.
 */
export async function mongoStore(connection: Connection, { beforeClose, warn = () => undefined }: MongoStoreOptions = {}): Promise<Store> {
  for (const note of await createMissing(connection)) warn(note);
  await fillSearchWords(connection);
  await fillOnHand(connection);
  return mongoRepositories(connection, beforeClose);
}

/** The repositories alone, without a start-up step. */
export function mongoRepositories(connection: Connection, beforeClose: () => Promise<void> = async () => undefined): Store {
  return {
    users: mongoUsers(connection),
    products: mongoProducts(connection),
    categories: mongoCategories(connection),
    stock: mongoStock(connection),
    reservations: mongoReservations(connection),
    orders: mongoOrders(connection),
    zones: mongoZones(connection),
    slots: mongoSlots(connection),
    outbox: mongoOutbox(connection),
    tokens: mongoTokens(connection),
    async close() {
      // The connection closes even when the hook fails: a failed cleanup must not leak sockets.
      try {
        await beforeClose();
      } finally {
        await connection.close();
      }
    },
  };
}
