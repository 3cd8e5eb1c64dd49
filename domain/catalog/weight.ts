import { z } from 'zod';
import { DomainError } from '../errors.js';

/**
 * Sold by the piece (whole units, as before) or by weight (grams). A product sold by weight has
 * its price per kilogram in `priceCents` (answered as `pricePerKgCents` too), so the listing's
 * price sort and filters compare pieces by their unit price and weight by the kilogram; its stock,
 * cart lines and order lines count grams, whole numbers.
 */
export const SOLD_BY = ['piece', 'weight'] as const;
export type SoldBy = (typeof SOLD_BY)[number];

/** How a product sold by weight is ordered: in steps of `stepGrams`, from `minGrams`. */
export interface WeightTerms {
  stepGrams: number;
  minGrams: number;
  /** What one piece about weighs, for display ("about 180 g each"). */
  typicalGrams?: number;
}

/** How a product is sold; the weight terms only when it is sold by weight. */
export interface Selling {
  by: SoldBy;
  stepGrams?: number;
  minGrams?: number;
  typicalGrams?: number;
}

/** The most grams of one product in a cart line, and across one customer's open orders. */
export const MAX_LINE_GRAMS = 10_000;
/** The step when none is given. */
export const DEFAULT_STEP_GRAMS = 100;

/**
 * A line's price: price per kilogram × grams / 1000, rounded half up to a whole cent
 * (1234 c/kg × 250 g = 308.5 → 309). Integers throughout: no float ever rounds a cent.
 */
export const weightCents = (pricePerKgCents: number, grams: number) => Math.floor((pricePerKgCents * grams + 500) / 1000);

/** A line's total: units × price, or the weight's price. */
export const lineCents = (by: SoldBy, unitPriceCents: number, amount: number) =>
  by === 'weight' ? weightCents(unitPriceCents, amount) : unitPriceCents * amount;

/** The most grams a packer may weigh for `grams` ordered: `tolerancePercent` above, rounded down. */
export const maxPackedGrams = (grams: number, tolerancePercent: number) => Math.floor((grams * (100 + tolerancePercent)) / 100);

/** Why these grams cannot be a line of this product, or null when they can. */
export function gramsRefusal(terms: Pick<WeightTerms, 'stepGrams' | 'minGrams'>, grams: number, path = 'body.grams'): DomainError | null {
  if (grams % terms.stepGrams !== 0) {
    return new DomainError('WEIGHT_NOT_ON_STEP', `Sold in steps of ${terms.stepGrams} g`, [{ path, stepGrams: terms.stepGrams }]);
  }
  if (grams < terms.minGrams) {
    return new DomainError('WEIGHT_BELOW_MINIMUM', `At least ${terms.minGrams} g`, [{ path, minGrams: terms.minGrams }]);
  }
  if (grams > MAX_LINE_GRAMS) {
    return new DomainError('WEIGHT_LIMIT', `At most ${MAX_LINE_GRAMS} g of one product per order`, [{ path, maxGrams: MAX_LINE_GRAMS }]);
  }
  return null;
}

const gramsField = (description: string, example: number) =>
  z.number().int('whole grams').min(1).max(MAX_LINE_GRAMS).meta({ description, examples: [example] });

/** The weight fields of a product's create and update bodies. */
export const weightFields = {
  pricePerKgCents: z
    .number()
    .int('whole minor units (cents)')
    .min(0)
    .max(100_000_000)
    .meta({ description: 'Sold by weight: the price of one kilogram in cents (1990 is $19.90 per kg)', examples: [1990] }),
  stepGrams: gramsField(`Sold by weight: ordered in steps of this many grams (${DEFAULT_STEP_GRAMS} when not given)`, 250),
  minGrams: gramsField('Sold by weight: the least one may order, a multiple of stepGrams (stepGrams when not given)', 250),
  typicalGrams: z
    .number()
    .int('whole grams')
    .min(1)
    .max(100_000)
    .meta({ description: 'Sold by weight: what one piece about weighs, for display ("about 180 g each")', examples: [180] }),
};

export const soldBy = z.enum(SOLD_BY).meta({
  description: 'piece: sold in whole units at priceCents each; weight: sold in grams at pricePerKgCents per kilogram (see Sold by weight)',
  examples: ['weight'],
});

const onlyByWeight = ['pricePerKgCents', 'stepGrams', 'minGrams', 'typicalGrams'] as const;

interface SellingInput {
  by: SoldBy;
  priceCents?: number;
  pricePerKgCents?: number;
  stepGrams?: number;
  minGrams?: number;
  typicalGrams?: number;
}

/** The rules of a new product's selling fields, as zod issues (400). */
export function checkSelling(input: SellingInput, ctx: z.RefinementCtx) {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (input.by === 'piece') {
    if (input.priceCents === undefined) issue('priceCents', 'a product sold by the piece needs priceCents');
    for (const key of onlyByWeight) if (input[key] !== undefined) issue(key, 'only for a product sold by weight (by: "weight")');
    return;
  }
  if (input.pricePerKgCents === undefined) issue('pricePerKgCents', 'a product sold by weight needs pricePerKgCents');
  if (input.priceCents !== undefined) issue('priceCents', 'a product sold by weight has pricePerKgCents, not priceCents');
  const step = input.stepGrams ?? DEFAULT_STEP_GRAMS;
  if (input.minGrams !== undefined && input.minGrams % step !== 0) issue('minGrams', `a multiple of stepGrams (${step})`);
}

/** A new product's price and selling terms from its input (checked by checkSelling). */
export function sellingOf(input: SellingInput): Selling & { priceCents: number } {
  if (input.by === 'piece') return { by: 'piece', priceCents: input.priceCents! };
  const stepGrams = input.stepGrams ?? DEFAULT_STEP_GRAMS;
  return {
    by: 'weight',
    priceCents: input.pricePerKgCents!,
    stepGrams,
    minGrams: input.minGrams ?? stepGrams,
    ...(input.typicalGrams !== undefined ? { typicalGrams: input.typicalGrams } : {}),
  };
}

/**
 * An update's selling fields over the product as it is: weight fields on a product sold by the
 * piece, or priceCents on one sold by weight, are refused (422); the result is the change to store.
 */
export function sellingChange(current: Selling, change: Partial<Omit<SellingInput, 'by'>>) {
  const given = onlyByWeight.filter((key) => change[key] !== undefined);
  if (current.by === 'piece') {
    if (given.length) {
      throw new DomainError('SOLD_BY_PIECE', 'This product is sold by the piece: it has priceCents, no weight terms', [{ path: `body.${given[0]}` }]);
    }
    return {};
  }
  if (change.priceCents !== undefined) {
    throw new DomainError('SOLD_BY_WEIGHT', 'This product is sold by weight: send pricePerKgCents', [{ path: 'body.priceCents' }]);
  }
  const stepGrams = change.stepGrams ?? current.stepGrams ?? DEFAULT_STEP_GRAMS;
  const minGrams = change.minGrams ?? current.minGrams ?? stepGrams;
  if (minGrams % stepGrams !== 0) {
    throw new DomainError('VALIDATION_FAILED', `minGrams must be a multiple of stepGrams (${stepGrams})`, [{ path: 'body.minGrams' }]);
  }
  return {
    ...(change.pricePerKgCents !== undefined ? { priceCents: change.pricePerKgCents } : {}),
    ...(change.stepGrams !== undefined ? { stepGrams } : {}),
    ...(change.minGrams !== undefined ? { minGrams } : {}),
    ...(change.typicalGrams !== undefined ? { typicalGrams: change.typicalGrams } : {}),
  };
}

/** The selling fields of a product answer. */
export const sellingAnswer = {
  by: soldBy,
  pricePerKgCents: weightFields.pricePerKgCents.optional().meta({ description: 'Sold by weight: the price of one kilogram in cents (equal to priceCents)' }),
  stepGrams: z.number().int().optional().meta({ description: 'Sold by weight: ordered in steps of this many grams', examples: [250] }),
  minGrams: z.number().int().optional().meta({ description: 'Sold by weight: the least one may order, in grams', examples: [250] }),
  typicalGrams: z.number().int().optional().meta({ description: 'Sold by weight: what one piece about weighs, in grams', examples: [180] }),
};

/** A product's selling fields as answered: the weight ones only when it is sold by weight. */
export const publicSelling = (p: Selling & { priceCents: number }) =>
  p.by === 'weight'
    ? {
        by: p.by,
        pricePerKgCents: p.priceCents,
        stepGrams: p.stepGrams,
        minGrams: p.minGrams,
        ...(p.typicalGrams !== undefined ? { typicalGrams: p.typicalGrams } : {}),
      }
    : { by: p.by };
