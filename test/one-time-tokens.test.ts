import t from 'tap';
import { tokenStoreContract } from './contracts/one-time-tokens.js';
import { storeTargets } from './helpers/stores.js';

for (const { name, skip, open } of storeTargets) {
  t.test(`${name} one-time tokens`, { skip }, async (t) => tokenStoreContract(t, open));
}
