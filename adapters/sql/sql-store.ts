import type { Store } from '#domain/store.js';
import { migrate } from './schema.js';
import { sqlCategories, sqlProducts } from './sql-catalog.js';
import type { SqlDatabase } from './sql-database.js';
import { sqlSlots, sqlZones } from './sql-delivery.js';
import { sqlOrders } from './sql-orders.js';
import { sqlOutbox } from './sql-outbox.js';
import { sqlReservations, sqlStock } from './sql-stock.js';
import { sqlTokens } from './sql-tokens.js';
import { sqlUsers } from './sql-users.js';

/** Every repository on one SQL database (pg or PGlite), its schema created first. */
export async function sqlStore(db: SqlDatabase, onClose: () => Promise<void> = async () => {}): Promise<Store> {
  await migrate(db);
  return {
    users: sqlUsers(db),
    products: sqlProducts(db),
    categories: sqlCategories(db),
    stock: sqlStock(db),
    reservations: sqlReservations(db),
    orders: sqlOrders(db),
    zones: sqlZones(db),
    slots: sqlSlots(db),
    outbox: sqlOutbox(db),
    tokens: sqlTokens(db),
    async close() {
      await db.close();
      await onClose();
    },
  };
}
