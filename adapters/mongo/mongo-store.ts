import type { Connection } from 'mongoose';
import type { Store } from '#domain/store.js';
import { prepareMongo } from './models.js';
import { mongoCategories, mongoProducts } from './mongo-catalog.js';
import { mongoOrders } from './mongo-orders.js';
import { mongoOutbox } from './mongo-outbox.js';
import { mongoReservations, mongoStock } from './mongo-stock.js';
import { mongoUsers } from './mongo-users.js';

/** Every repository on one MongoDB connection, its collections and indexes created first. */
export async function mongoStore(connection: Connection, beforeClose: () => Promise<void> = async () => {}): Promise<Store> {
  await prepareMongo(connection);
  return {
    users: mongoUsers(connection),
    products: mongoProducts(connection),
    categories: mongoCategories(connection),
    stock: mongoStock(connection),
    reservations: mongoReservations(connection),
    orders: mongoOrders(connection),
    outbox: mongoOutbox(connection),
    async close() {
      await beforeClose();
      await connection.close();
    },
  };
}
