import t from 'tap';
import { deliveryContract } from './contracts/delivery.js';
import { storeTargets } from './helpers/stores.js';

for (const { name, skip, open } of storeTargets) {
  t.test(`${name} delivery zones and slots`, { skip }, async (t) => deliveryContract(t, open));
}
