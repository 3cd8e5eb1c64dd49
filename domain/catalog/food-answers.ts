import { z } from 'zod';
import { ALLERGENS, DIETS, nutritionFields } from './food.js';

const allergen = z.enum(ALLERGENS);

/** The food fields of a product answer (food.ts says what they mean). */
export const foodAnswer = {
  allergens: z
    .object({
      contains: z.array(allergen).meta({ description: 'Allergens it contains; empty: declared free of all 14', examples: [['milk']] }),
      mayContain: z.array(allergen).meta({ description: 'Allergens it may contain as traces', examples: [['nuts']] }),
    })
    .nullable()
    .meta({
      description: 'The 14 EU allergens it contains or may contain; null: not declared, which is unknown, never "none"',
      examples: [{ contains: ['milk'], mayContain: [] }],
    }),
  diets: z.array(z.enum(DIETS)).meta({ description: `Dietary labels: ${DIETS.join(', ')}`, examples: [['vegetarian', 'gluten_free']] }),
  ingredients: z.string().meta({ description: 'The ingredients as the label lists them; empty when not given', examples: ['Pasteurised cow’s milk, salt, rennet'] }),
  nutrition: z
    .object(nutritionFields)
    .nullable()
    .meta({ description: 'Nutrition per 100 g (or 100 ml); null: not given' }),
};
