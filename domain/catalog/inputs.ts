import { z } from 'zod';
import { pagination } from '../schemas.js';
import { MAX_STOCK } from './product.js';
import { foodFields, foodFilters } from './food.js';
import { taxClassInput } from './tax.js';
import { checkSelling, soldBy, weightFields } from './weight.js';

/** Input shapes of the catalog functions. Money is integer minor units; bodies reject unknown fields. */
export const slug = z
  .string()
  .trim()
  .toLowerCase()
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by dashes, such as "dairy-eggs"')
  .meta({ description: "A category's slug: lower-case words joined by dashes, its name in URLs", examples: ['fruit'] });

const categoryName = z.string().trim().min(1).max(60).meta({ description: "The category's name", examples: ['Fruit'] });
export const newCategory = z.strictObject({
  name: categoryName,
  slug: slug.optional().meta({ description: 'Its slug; unset: made from the name', examples: ['fruit'] }),
});
export const categoryChange = z
  .strictObject({ name: categoryName, slug })
  .partial()
  .refine((change) => Object.keys(change).length > 0, 'name at least one field to change');

const count = z.number().int().min(0).max(MAX_STOCK);

const fields = {
  name: z.string().trim().min(1).max(120).meta({ description: "The product's name", examples: ['Gala apples'] }),
  description: z.string().trim().max(2000).meta({ description: 'A sentence or two about it', examples: ['Crisp and sweet'] }),
  category: slug.meta({ description: "Its category's slug", examples: ['fruit'] }),
  priceCents: z
    .number()
    .int('whole minor units (cents)')
    .min(0)
    .max(100_000_000)
    .meta({ description: 'Price of one unit in integer minor units (cents): 299 is $2.99', examples: [299] }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
    .meta({ description: "ISO 4217; the shop's one currency (SHOP_CURRENCY), another is refused", examples: ['USD'] }),
  unit: z.string().trim().min(1).max(30).meta({ description: 'What one is: each, kg, 400 g punnet, …', examples: ['kg'] }),
  available: z.boolean().meta({ description: 'Whether customers see it and may order it' }),
  taxClass: taxClassInput,
};

export const newProduct = z
  .strictObject({
    name: fields.name,
    description: fields.description.default(''),
    category: fields.category,
    by: soldBy.default('piece'),
    // By the piece: priceCents; by weight: pricePerKgCents and the weight terms (weight.ts checks which).
    priceCents: fields.priceCents.optional(),
    pricePerKgCents: weightFields.pricePerKgCents.optional(),
    stepGrams: weightFields.stepGrams.optional(),
    minGrams: weightFields.minGrams.optional(),
    typicalGrams: weightFields.typicalGrams.optional(),
    // The shop's currency when not given (SHOP_CURRENCY); another one is refused by the catalog.
    currency: fields.currency.optional(),
    // A new product holds nothing yet: either number sets both (0 when neither is sent).
    stock: count.optional().meta({ description: 'Units (grams when sold by weight) there are to sell (sets onHand too); send stock or onHand', examples: [40] }),
    onHand: count.optional().meta({ description: 'Units (grams when sold by weight) on the shelf (sets stock too); send stock or onHand', examples: [40] }),
    unit: fields.unit.default('each'),
    available: fields.available.default(true),
    taxClass: fields.taxClass.default('standard'),
    allergens: foodFields.allergens.default(null),
    diets: foodFields.diets.default([]),
    ingredients: foodFields.ingredients.default(''),
    nutrition: foodFields.nutrition.default(null),
  })
  .refine((input) => input.stock === undefined || input.onHand === undefined, { message: 'send stock or onHand, not both', path: ['onHand'] })
  .superRefine(checkSelling)
  .meta({
    examples: [
      { name: 'Gala apples', description: 'Crisp and sweet', category: 'fruit', priceCents: 299, stock: 40, unit: 'each' },
      { name: 'Comté 18 months', category: 'cheese', by: 'weight', pricePerKgCents: 2990, stepGrams: 100, minGrams: 200, stock: 5000, unit: 'kg' },
    ],
  });

/**
 * `stock` is not written here: it is what orders can still take, and a count set over units that
 * orders hold would give those units again when the orders are cancelled.
 */
const stockNotWritten = 'stock is what orders can still take and is not set directly: send onHand (a stocktake: the count on the shelf) or stockDelta (a delivery, or a loss when negative)';

export const productChange = z
  .strictObject(
    {
      ...fields,
      ...foodFields,
      // Sold by weight only (how a product is sold never changes: its stock counts pieces or grams).
      ...weightFields,
      typicalGrams: weightFields.typicalGrams.nullable().meta({ description: 'Sold by weight: what one piece about weighs, in grams; null removes it', examples: [180] }),
      onHand: count.meta({ description: 'A stocktake: the count on the shelf; stock becomes onHand less what orders hold', examples: [40] }),
      stockDelta: z
        .number()
        .int()
        .min(-MAX_STOCK)
        .max(MAX_STOCK)
        .meta({ description: 'A delivery (+) or a loss (−): onHand and stock move together', examples: [12] }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' && issue.keys.includes('stock') ? stockNotWritten : undefined) },
  )
  .partial()
  // Not after a refused field: `{"stock": 3}` names one, it is just not writable.
  .refine((change) => Object.keys(change).length > 0, { message: 'name at least one field to change', when: (payload) => !payload.issues.length })
  // One stock change per write: a count and a movement together leave it unclear which came first.
  .refine((change) => change.onHand === undefined || change.stockDelta === undefined, {
    message: 'send onHand or stockDelta, not both',
    path: ['stockDelta'],
  });

const price = (description: string, example: number) =>
  z.coerce.number().int().min(0).max(100_000_000).meta({ description, examples: [example] });

export const productListQuery = z
  .object({
    ...pagination,
    category: slug.optional().meta({ description: "Only this category's products (its slug)", examples: ['fruit'] }),
    q: z.string().trim().max(100).optional().meta({ description: 'Words to search for in names and descriptions', examples: ['apple'] }),
    minPrice: price('Only products costing at least this, in cents (199 is $1.99): the unit price, or the price per kilogram of a product sold by weight', 100).optional(),
    maxPrice: price('Only products costing at most this, in cents (1000 is $10.00): the unit price, or the price per kilogram of a product sold by weight', 1000).optional(),
    inStock: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .meta({ description: 'true: only products with stock left; false: only those without' }),
    ...foodFilters,
    /** Everyone sees available products; admins may ask for the others, or all. */
    available: z
      .enum(['true', 'false', 'all'])
      .default('true')
      .meta({ description: 'Admins only: false lists the unavailable products, all lists both; customers always get available ones' }),
    /** With q, relevance unless asked otherwise; without q, newest. */
    sort: z
      .enum(['relevance', 'newest', 'price', '-price', 'name'])
      .optional()
      .meta({ description: 'Order of the list: relevance (the default with q), newest (the default without), price (lowest first), -price (highest first), name. Prices compare the unit price of a product sold by the piece with the price per kilogram of one sold by weight' }),
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'minPrice must not exceed maxPrice',
    path: ['minPrice'],
  });

export type NewCategory = z.infer<typeof newCategory>;
export type CategoryChange = z.output<typeof categoryChange>;
export type NewProduct = z.output<typeof newProduct>;
export type ProductChangeInput = z.output<typeof productChange>;
export type ProductListQuery = z.output<typeof productListQuery>;
