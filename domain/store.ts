import type { CategoryRepository, ProductRepository } from './catalog/product.js';
import type { ReservationRepository, StockRepository } from './catalog/stock.js';
import type { SlotRepository, ZoneRepository } from './delivery/zone.js';
import type { OrderRepository } from './orders/order.js';
import type { Outbox } from './ports.js';
import type { OneTimeTokenStore } from './users/one-time-tokens.js';
import type { UserRepository } from './users/user.js';

/** The system of record: every repository on one database, and the outbox they write to. */
export interface Store {
  users: UserRepository;
  products: ProductRepository;
  categories: CategoryRepository;
  stock: StockRepository;
  reservations: ReservationRepository;
  orders: OrderRepository;
  zones: ZoneRepository;
  slots: SlotRepository;
  outbox: Outbox;
  /** Password-reset and email-verification tokens. */
  tokens: OneTimeTokenStore;
  close(): Promise<void>;
}
