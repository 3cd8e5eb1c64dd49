import t from 'tap';
import { outboxContract } from './contracts/outbox.js';
import { storeTargets } from './helpers/stores.js';

for (const { name, skip, open } of storeTargets) {
  t.test(`${name} outbox`, { skip }, async (t) => outboxContract(t, open));
}
