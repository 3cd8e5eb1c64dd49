import { z } from 'zod';
import { cents } from '../schemas.js';

/**
 * Value added tax. Prices are tax-inclusive: a product's price is what the customer pays, and
 * its tax class says which rate (TAX_RATES) that price includes. Carts and orders show the tax
 * each rate includes, worked out here:
 *
 * - the lines of one class are added up, tax-inclusive (`grossCents`);
 * - its tax is grossCents × r / (100 + r), rounded once, to the nearest cent, half up.
 *
 * That is the tax of each line kept exact (a fraction of a cent) and summed, rounded once per
 * rate: the same number, since the rate is the same for every line of it. Rounding each line
 * first would drift by up to half a cent a line. (README, "Food VAT", has a worked example.)
 */
export const TAX_CLASSES = ['standard', 'reduced', 'zero'] as const;
export type TaxClass = (typeof TAX_CLASSES)[number];

/** The rate of each class, in percent (5.5 is 5.5 %). */
export type TaxRates = Record<TaxClass, number>;

/** What an order keeps at placement: later changes of TAX_RATES never touch it. */
export interface TaxSnapshot {
  rates: TaxRates;
  /** The class the delivery fee is taxed at (DELIVERY_TAX_CLASS). */
  deliveryClass: TaxClass;
}

/** One rate's share of a total: what it includes, tax and all. */
export interface TaxLine {
  taxClass: TaxClass;
  ratePercent: number;
  /** The tax-inclusive amount at this rate. */
  grossCents: number;
  taxCents: number;
  /** grossCents − taxCents. */
  netCents: number;
}

/** A rate has at most two decimals (5.5, 8.25) and lies from 0 to 100. */
const RATE = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

const EACH_ONCE = `must name each of ${TAX_CLASSES.join(', ')} once, as in standard=20,reduced=5,zero=0`;

/**
 * `standard=20,reduced=5,zero=0` → the rates, or the end of the sentence that refuses the text
 * ("must …", after `TAX_RATES=<text> `).
 */
export function parseTaxRates(text: string): TaxRates | string {
  const rates: Partial<TaxRates> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name = '', value = '', ...rest] = part.split('=').map((s) => s.trim());
    if (!(TAX_CLASSES as readonly string[]).includes(name)) return `${EACH_ONCE}: "${name}" is no tax class`;
    if (rates[name as TaxClass] !== undefined) return `${EACH_ONCE}: ${name} is named twice`;
    if (rest.length || !RATE.test(value) || Number(value) > 100) {
      return `must give each rate in percent, from 0 to 100 with at most two decimals: ${name} is "${value}"`;
    }
    rates[name as TaxClass] = Number(value);
  }
  const missing = TAX_CLASSES.filter((c) => rates[c] === undefined);
  if (missing.length) return `${EACH_ONCE}: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`;
  return rates as TaxRates;
}

/** The tax a tax-inclusive amount holds at `ratePercent`, rounded half up, in exact integers. */
export function includedTax(grossCents: number, ratePercent: number): number {
  const rate = BigInt(Math.round(ratePercent * 100)); // hundredths of a percent
  if (rate === 0n || grossCents === 0) return 0;
  const numerator = BigInt(grossCents) * rate;
  const denominator = 10_000n + rate;
  return Number((2n * numerator + denominator) / (2n * denominator));
}

/** The tax each class includes, in the order of TAX_CLASSES, one entry per class that has a line. */
export function taxesIncluded(lines: { taxClass: TaxClass; grossCents: number }[], rates: TaxRates): TaxLine[] {
  const gross = new Map<TaxClass, number>();
  for (const line of lines) gross.set(line.taxClass, (gross.get(line.taxClass) ?? 0) + line.grossCents);
  return TAX_CLASSES.filter((c) => gross.has(c)).map((taxClass) => {
    const grossCents = gross.get(taxClass)!;
    const taxCents = includedTax(grossCents, rates[taxClass]);
    return { taxClass, ratePercent: rates[taxClass], grossCents, taxCents, netCents: grossCents - taxCents };
  });
}

/** A product's tax class as requests name it. */
export const taxClassInput = z
  .enum(TAX_CLASSES, { error: () => `one of the tax classes: ${TAX_CLASSES.join(', ')}` })
  .meta({ description: 'Which VAT rate its tax-inclusive price holds (TAX_RATES): standard, reduced (most food) or zero', examples: ['reduced'] });

export const taxClassAnswer = z
  .enum(TAX_CLASSES)
  .meta({ description: 'Which VAT rate its tax-inclusive price holds (TAX_RATES): standard, reduced or zero', examples: ['reduced'] });

/** The `taxes` of a cart or order answer. */
export const taxesAnswer = (what: string) =>
  z
    .array(
      z.object({
        taxClass: taxClassAnswer.meta({ description: 'The tax class of these lines: standard, reduced or zero', examples: ['reduced'] }),
        ratePercent: z.number().min(0).max(100).meta({ description: 'The rate, in percent', examples: [5.5] }),
        grossCents: cents('What is taxed at this rate, tax included, in cents', 1055),
        taxCents: cents('The tax it includes: grossCents × rate / (100 + rate), rounded once, half up', 55),
        netCents: cents('grossCents − taxCents', 1000),
      }),
    )
    .meta({ description: `The VAT included in ${what}, one entry per rate it has (prices are tax-inclusive)` });
