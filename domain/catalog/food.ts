import { z } from 'zod';

/** The 14 allergens EU law (Regulation 1169/2011, Annex II) requires food sellers to declare. */
export const ALLERGENS = [
  'gluten', 'crustaceans', 'eggs', 'fish', 'peanuts', 'soybeans', 'milk',
  'nuts', 'celery', 'mustard', 'sesame', 'sulphites', 'lupin', 'molluscs',
] as const;
export type Allergen = (typeof ALLERGENS)[number];

/** Dietary labels a product may carry. */
export const DIETS = ['vegan', 'vegetarian', 'gluten_free', 'lactose_free', 'organic', 'halal', 'kosher'] as const;
export type Diet = (typeof DIETS)[number];

/**
 * A product's allergen declaration. `null` on a product means "not declared": nothing is known,
 * which is not the same as a declared `{ contains: [], mayContain: [] }` (free of all 14).
 */
export interface Allergens {
  contains: Allergen[];
  /** Traces: "may contain", from shared lines or kitchens. */
  mayContain: Allergen[];
}

/** Per 100 g (or 100 ml), as a label shows it. */
export interface Nutrition {
  energyKcal: number;
  fat: number;
  saturates: number;
  carbohydrate: number;
  sugars: number;
  protein: number;
  salt: number;
}

/** What a product tells about its food; every store keeps these alike. */
export interface FoodFacts {
  allergens: Allergens | null;
  diets: Diet[];
  ingredients: string;
  nutrition: Nutrition | null;
}

export const noFoodFacts = (): FoodFacts => ({ allergens: null, diets: [], ingredients: '', nutrition: null });

/**
 * Everything an allergic person must avoid in a product: what it contains and what it may
 * contain, or null when nothing is declared (the listing's excludeAllergens leaves those out).
 */
export const allergenRisk = (allergens: Allergens | null): Allergen[] | null =>
  allergens ? [...new Set([...allergens.contains, ...allergens.mayContain])].sort() : null;

const sortedUnique = <T extends string>(values: T[]): T[] => [...new Set(values)].sort();

const allergen = z.enum(ALLERGENS, { error: () => `one of the 14 allergens: ${ALLERGENS.join(', ')}` });
const diet = z.enum(DIETS, { error: () => `one of the dietary labels: ${DIETS.join(', ')}` });
const allergenList = (description: string, examples: Allergen[]) =>
  z.array(allergen).max(ALLERGENS.length).transform(sortedUnique).meta({ description, examples: [examples] });

export const allergensInput = z
  .strictObject({
    contains: allergenList('Allergens it contains as an ingredient; an empty list declares it free of all 14', ['milk']),
    mayContain: allergenList('Allergens it may contain as traces (shared lines)', ['nuts']).default([]),
  })
  .nullable()
  .meta({
    description: 'The 14 EU allergens it contains or may contain; null: not declared (unknown, not "none")',
    examples: [{ contains: ['milk'], mayContain: ['nuts'] }],
  });

export const dietsInput = z
  .array(diet)
  .max(DIETS.length)
  .transform(sortedUnique)
  .meta({ description: `Dietary labels: ${DIETS.join(', ')}`, examples: [['vegetarian', 'gluten_free']] });

export const ingredientsInput = z
  .string()
  .trim()
  .max(4000)
  .meta({ description: 'The ingredients as the label lists them; empty when not given', examples: ['Pasteurised cow’s milk, salt, rennet'] });

const grams = (description: string, example: number) => z.number().min(0).max(100).meta({ description: `${description}, grams per 100 g`, examples: [example] });

/** The nutrition figures per 100 g: the input's and the answer's. */
export const nutritionFields = {
  energyKcal: z.number().min(0).max(900).meta({ description: 'Energy, kcal per 100 g (pure fat is about 900)', examples: [402] }),
  fat: grams('Fat', 33),
  saturates: grams('Of which saturates', 21),
  carbohydrate: grams('Carbohydrate', 1.3),
  sugars: grams('Of which sugars', 0.5),
  protein: grams('Protein', 25),
  salt: grams('Salt', 1.8),
};

export const nutritionInput = z
  .strictObject(nutritionFields)
  .refine((n) => n.saturates <= n.fat, { message: 'saturates are part of fat: at most fat', path: ['saturates'] })
  .refine((n) => n.sugars <= n.carbohydrate, { message: 'sugars are part of carbohydrate: at most carbohydrate', path: ['sugars'] })
  .refine((n) => n.fat + n.carbohydrate + n.protein + n.salt <= 100, { message: 'fat, carbohydrate, protein and salt add up to at most 100 g', path: ['fat'] })
  .nullable()
  .meta({ description: 'Nutrition per 100 g (or 100 ml); null: not given' });

/** The food fields of a product's create and update bodies. */
export const foodFields = {
  allergens: allergensInput,
  diets: dietsInput,
  ingredients: ingredientsInput,
  nutrition: nutritionInput,
};

/** A comma-separated list of names in a query ("milk,nuts"): each known, or a 400 naming the rest. */
const nameList = <T extends string>(names: readonly T[], what: string, description: string, example: string) =>
  z
    .string()
    .trim()
    .max(200)
    .transform((value, ctx) => {
      const given = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      const unknown = given.filter((name) => !(names as readonly string[]).includes(name));
      if (unknown.length) {
        ctx.addIssue({ code: 'custom', message: `unknown ${what} ${unknown.map((u) => `"${u}"`).join(', ')}: use ${names.join(', ')}` });
        return z.NEVER;
      }
      return given.length ? sortedUnique(given as T[]) : undefined;
    })
    .optional()
    .meta({ description, examples: [example] });

export const foodFilters = {
  diet: nameList(DIETS, 'diet', `Only products carrying every one of these dietary labels, comma-separated: ${DIETS.join(', ')}`, 'vegan,gluten_free'),
  excludeAllergens: nameList(
    ALLERGENS,
    'allergen',
    'Leave out products that contain or may contain (traces) any of these allergens, comma-separated. ' +
      'Products whose allergens are not declared are left out too: unknown cannot be trusted by an allergic person. ' +
      `Allergens: ${ALLERGENS.join(', ')}`,
    'milk,nuts',
  ),
};
