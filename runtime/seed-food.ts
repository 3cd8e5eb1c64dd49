/**
 * Food facts of the demo catalog (runtime/seed-data.ts): allergens, dietary labels, ingredients
 * and nutrition, from each category's usual make-up and the product's name. Fixed data, so the
 * demo's filters (?diet=vegan, ?excludeAllergens=milk) answer believably. A few pantry and snack
 * products are left "not declared" (allergens null), as real suppliers sometimes leave them.
 */
import type { Allergen, Diet, FoodFacts, Nutrition } from '#domain/catalog/food.js';

type Facts = { contains?: Allergen[]; mayContain?: Allergen[]; diets?: Diet[]; ingredients?: string; undeclared?: boolean };

const plant: Diet[] = ['vegan', 'vegetarian', 'gluten_free', 'lactose_free'];
const dairyVeg: Diet[] = ['vegetarian', 'gluten_free'];
const meatish: Diet[] = ['gluten_free', 'lactose_free'];

/** What a category's products share, unless a rule below says otherwise. */
const byCategory: Record<string, Facts> = {
  fruit: { contains: [], diets: plant },
  vegetables: { contains: [], diets: plant },
  dairy: { contains: ['milk'], diets: dairyVeg },
  bakery: { contains: ['gluten'], mayContain: ['sesame', 'nuts'], diets: ['vegetarian', 'vegan'] },
  meat: { contains: [], diets: meatish },
  fish: { contains: ['fish'], diets: meatish },
  drinks: { contains: [], diets: plant },
  pantry: { contains: [], diets: plant },
  snacks: { contains: [], mayContain: ['nuts', 'peanuts'], diets: plant },
  frozen: { contains: [], diets: plant },
};

/** First match wins; fields given replace the category's. */
const rules: [RegExp, Facts][] = [
  [/tagliatelle/i, { contains: ['gluten', 'eggs'], diets: ['vegetarian', 'lactose_free'] }],
  [/\beggs?\b/i, { contains: ['eggs'], diets: ['vegetarian', 'gluten_free', 'lactose_free'] }],
  [/lactose-free milk/i, { contains: ['milk'], diets: ['vegetarian', 'gluten_free', 'lactose_free'] }],
  [/oat (chocolate )?milk/i, { contains: ['gluten'], mayContain: ['soybeans'], diets: ['vegan', 'vegetarian', 'lactose_free'] }],
  [/halloumi|feta/i, { contains: ['milk'], diets: [...dairyVeg, 'halal'] }],
  [/challah/i, { contains: ['gluten', 'eggs'], mayContain: ['sesame'], diets: ['vegetarian', 'lactose_free', 'kosher'] }],
  [/brioche|croissant|pain au|cinnamon|muffins|banana bread|cookies|waffles/i, { contains: ['gluten', 'eggs', 'milk'], mayContain: ['nuts'], diets: ['vegetarian'] }],
  [/naan/i, { contains: ['gluten', 'milk'], diets: ['vegetarian'] }],
  [/seeded|everything bagels/i, { contains: ['gluten', 'sesame'], diets: ['vegan', 'vegetarian'] }],
  [/sausages|chorizo|bacon|ham\b|prosciutto/i, { contains: [], mayContain: ['mustard', 'celery'], diets: ['gluten_free', 'lactose_free'] }],
  [/lamb/i, { contains: [], diets: [...meatish, 'halal'] }],
  [/beef(?! jerky)|steak/i, { contains: [], diets: [...meatish, 'halal', 'kosher'] }],
  [/shrimp|crab/i, { contains: ['crustaceans'], diets: meatish }],
  [/mussels|scallops|oysters/i, { contains: ['molluscs'], diets: meatish }],
  [/tuna in|sardines/i, { contains: ['fish'], diets: meatish }],
  [/tomato juice/i, { contains: ['celery'], diets: plant }],
  [/cider\b|kombucha/i, { contains: ['sulphites'], diets: plant }],
  [/balsamic/i, { contains: ['sulphites'], diets: plant }],
  [/chai/i, { contains: ['milk'], diets: dairyVeg }],
  [/spaghetti|penne|fusilli|flour|rolled oats/i, { contains: ['gluten'], diets: ['vegan', 'vegetarian', 'lactose_free'] }],
  [/granola/i, { contains: ['gluten', 'nuts'], diets: ['vegetarian'] }],
  [/peanut/i, { contains: ['peanuts'], mayContain: ['nuts'], diets: ['vegetarian', 'lactose_free'] }],
  [/oat & honey/i, { contains: ['gluten'], mayContain: ['nuts', 'peanuts'], diets: ['vegetarian', 'lactose_free'] }],
  [/honey/i, { contains: [], diets: ['vegetarian', 'gluten_free', 'lactose_free'] }],
  [/chicken stock/i, { contains: ['celery'], diets: meatish }],
  [/soy sauce/i, { contains: ['soybeans', 'gluten'], diets: ['vegan', 'vegetarian', 'lactose_free'] }],
  [/mustard/i, { contains: ['mustard', 'sulphites'], diets: plant }],
  [/coffee|espresso|tea\b|sencha/i, { undeclared: true }],
  [/pretzels/i, { contains: ['gluten'], mayContain: ['sesame'], diets: ['vegan', 'vegetarian', 'lactose_free'] }],
  [/almonds|cashews|trail mix/i, { contains: ['nuts'], mayContain: ['peanuts'], diets: plant }],
  [/milk chocolate/i, { contains: ['milk', 'nuts', 'soybeans'], diets: ['vegetarian', 'gluten_free'] }],
  [/dark chocolate/i, { contains: ['soybeans'], mayContain: ['milk', 'nuts'], diets: ['vegetarian', 'gluten_free'] }],
  [/hummus/i, { contains: ['sesame'], diets: plant }],
  [/jerky/i, { contains: ['soybeans', 'gluten'], diets: ['lactose_free'] }],
  [/gummy|seaweed|crackers|salsa/i, { undeclared: true }],
  [/pepperoni pizza/i, { contains: ['gluten', 'milk'], diets: [] }],
  [/pizza/i, { contains: ['gluten', 'milk'], diets: ['vegetarian'] }],
  [/ice cream/i, { contains: ['milk', 'eggs'], mayContain: ['nuts'], diets: ['vegetarian', 'gluten_free'] }],
  [/nuggets/i, { contains: ['gluten'], diets: ['lactose_free'] }],
  [/fish fingers/i, { contains: ['fish', 'gluten'], diets: ['lactose_free'] }],
  [/dumplings/i, { contains: ['gluten', 'soybeans', 'sesame'], diets: ['lactose_free'] }],
  [/veggie burgers/i, { contains: [], mayContain: ['celery'], diets: plant }],
  [/edamame/i, { contains: ['soybeans'], diets: plant }],
];

/** Per 100 g as labels show them, for a good share of the catalog. */
const nutritionTable: [RegExp, number[]][] = [
  // kcal, fat, saturates, carbohydrate, sugars, protein, salt
  [/apples/i, [52, 0.2, 0, 14, 10, 0.3, 0]],
  [/pears/i, [57, 0.1, 0, 15, 10, 0.4, 0]],
  [/bananas/i, [89, 0.3, 0.1, 23, 12, 1.1, 0]],
  [/oranges|clementines/i, [47, 0.1, 0, 12, 9, 0.9, 0]],
  [/berries|strawberries/i, [43, 0.3, 0, 10, 5, 0.8, 0]],
  [/avocados/i, [160, 15, 2.1, 9, 0.7, 2, 0]],
  [/potatoes/i, [77, 0.1, 0, 17, 0.8, 2, 0]],
  [/carrots/i, [41, 0.2, 0, 10, 4.7, 0.9, 0.2]],
  [/tomatoes/i, [18, 0.2, 0, 3.9, 2.6, 0.9, 0]],
  [/broccoli|spinach|kale/i, [34, 0.4, 0.1, 7, 1.7, 2.8, 0.1]],
  [/\beggs\b/i, [143, 9.5, 3.1, 0.7, 0.4, 12.6, 0.4]],
  [/milk\b(?!.*chocolate)/i, [64, 3.6, 2.3, 4.8, 4.8, 3.4, 0.1]],
  [/peanut butter/i, [588, 50, 10, 20, 9, 25, 1.1]],
  [/butter\b/i, [717, 81, 51, 0.1, 0.1, 0.9, 1.6]],
  [/cheddar/i, [403, 33, 21, 1.3, 0.5, 25, 1.8]],
  [/parmigiano/i, [392, 29, 19, 0, 0, 33, 1.6]],
  [/mozzarella/i, [254, 19, 13, 1, 1, 18, 0.5]],
  [/yogurt|skyr|kefir/i, [97, 5, 3.2, 4, 4, 9, 0.1]],
  [/sourdough|bread|baguette|ciabatta|loaf/i, [250, 1.5, 0.3, 49, 3, 9, 1.1]],
  [/croissants/i, [406, 21, 13, 46, 11, 8, 1]],
  [/chicken(?! stock)/i, [165, 3.6, 1, 0, 0, 31, 0.2]],
  [/beef|steak/i, [250, 17, 7, 0, 0, 26, 0.1]],
  [/bacon/i, [541, 42, 14, 1.4, 0, 37, 4.2]],
  [/salmon/i, [208, 13, 3.1, 0, 0, 20, 0.1]],
  [/cod/i, [82, 0.7, 0.1, 0, 0, 18, 0.2]],
  [/shrimp/i, [99, 0.3, 0.1, 0.2, 0, 24, 0.6]],
  [/juice/i, [45, 0.1, 0, 10, 9, 0.6, 0]],
  [/cola(?!.*diet)|lemonade/i, [42, 0, 0, 10.6, 10.6, 0, 0]],
  [/^extra virgin olive oil$/i, [884, 100, 14, 0, 0, 0, 0]],
  [/spaghetti|penne|fusilli/i, [359, 1.5, 0.3, 71, 3.5, 13, 0]],
  [/rice\b(?! cakes)/i, [350, 0.9, 0.2, 78, 0.1, 7.5, 0]],
  [/potato chips/i, [536, 34, 3.1, 53, 0.5, 6.6, 1.3]],
  [/dark chocolate 70/i, [598, 43, 25, 36, 24, 7.8, 0]],
  [/hummus/i, [177, 10, 1.4, 14, 0.3, 7.9, 1.2]],
  [/almonds/i, [607, 54, 4.1, 7, 4, 21, 1]],
];

const nutritionOf = (name: string): Nutrition | null => {
  const found = nutritionTable.find(([pattern]) => pattern.test(name));
  if (!found) return null;
  const [energyKcal, fat, saturates, carbohydrate, sugars, protein, salt] = found[1] as [number, number, number, number, number, number, number];
  return { energyKcal, fat, saturates, carbohydrate, sugars, protein, salt };
};

/** The food facts of one demo product. */
export function seedFood(category: string, name: string): FoodFacts {
  const base = byCategory[category] ?? { undeclared: true };
  const rule = rules.find(([pattern]) => pattern.test(name))?.[1] ?? {};
  const facts = { ...base, ...rule };
  const diets = new Set(facts.diets ?? []);
  if (/organic/i.test(name)) diets.add('organic');
  const allergens = facts.undeclared ? null : { contains: [...(facts.contains ?? [])].sort(), mayContain: [...(facts.mayContain ?? [])].sort() };
  return {
    allergens,
    diets: [...diets].sort(),
    ingredients: facts.undeclared ? '' : (facts.ingredients ?? (category === 'fruit' || category === 'vegetables' ? `100% ${name.toLowerCase()}` : '')),
    nutrition: nutritionOf(name),
  };
}
