import t from 'tap';
import { catalogFoodContract } from './contracts/catalog-food.js';
import { catalogRepositoryContract } from './contracts/catalog-repository.js';
import { storeTargets } from './helpers/stores.js';

for (const { name, skip, open } of storeTargets) {
  t.test(`${name} catalog repositories`, { skip }, async (t) => catalogRepositoryContract(t, open));
  t.test(`${name} catalog food facts`, { skip }, async (t) => catalogFoodContract(t, open));
}
