import t from 'tap';
import { orderRepositoryContract } from './contracts/order-repository.js';
import { stockContract } from './contracts/stock.js';
import { orderPackingContract } from './contracts/order-packing.js';
import { storeTargets } from './helpers/stores.js';

for (const { name, skip, open } of storeTargets) {
  t.test(`${name} order repository`, { skip }, async (t) => orderRepositoryContract(t, open));
  t.test(`${name} stock and reservations`, { skip }, async (t) => stockContract(t, open));
  t.test(`${name} packing an order: lines, totals and holds together`, { skip }, async (t) => orderPackingContract(t, open));
}
