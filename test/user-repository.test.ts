import t from 'tap';
import { userRepositoryContract } from './contracts/user-repository.js';
import { storeTargets } from './helpers/stores.js';

for (const { name, skip, open } of storeTargets) {
  t.test(`${name} user repository`, { skip }, async (t) => userRepositoryContract(t, open));
}
