/**
 * Products sold by weight: the price per kilogram, grams in words, the grams a customer may pick
 * (the product's step from its minimum), a line's amount and the VAT a cart or order includes.
 */
import { money } from './api';

/** The most grams of one product a line takes (the API's WEIGHT_LIMIT). */
export const MAX_LINE_GRAMS = 10_000;

/** "250 g", "1.25 kg". */
export const gramsWords = (grams: number) =>
  grams >= 1000 ? `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 }).format(grams / 1000)} kg` : `${grams} g`;

interface Priced {
  by?: 'piece' | 'weight';
  priceCents: number;
  pricePerKgCents?: number;
  typicalGrams?: number;
  unit: string;
  currency: string;
}

/** A product's price as a card or its page shows it: "€12.34 / kg" (and "about 180 g each"), or "€3.49 / jar". */
export function Price({ product }: { product: Priced }) {
  if (product.by !== 'weight') {
    return (
      <p class="price">
        {money(product.priceCents, product.currency)} <small>/ {product.unit}</small>
      </p>
    );
  }
  return (
    <p class="price">
      {money(product.pricePerKgCents ?? product.priceCents, product.currency)} <small>/ kg</small>
      {product.typicalGrams ? <small class="typical"> · about {gramsWords(product.typicalGrams)} each</small> : null}
    </p>
  );
}

/** The weights one may order: from the minimum, on the step, up to the line limit (and what is in stock). */
export function gramChoices(product: { stepGrams?: number; minGrams?: number; stock: number }) {
  const step = product.stepGrams ?? 100;
  const min = product.minGrams ?? step;
  const top = Math.max(min, Math.min(MAX_LINE_GRAMS, product.stock));
  const choices: number[] = [];
  for (let g = min; g <= top && choices.length < 100; g += step) choices.push(g);
  return choices;
}

/** A line's amount in words: "3" or "250 g". */
export const amountWords = (line: { by?: 'piece' | 'weight'; quantity?: number; grams?: number }) =>
  line.by === 'weight' ? gramsWords(line.grams ?? 0) : String(line.quantity ?? 0);

type Tax = { taxClass: string; ratePercent: number; grossCents: number; taxCents: number; netCents: number };

/** "Including VAT 5% on €8.77: €0.42", one line per rate. */
export function Taxes({ taxes, currency }: { taxes: Tax[]; currency: string }) {
  if (taxes.length === 0) return null;
  return (
    <ul class="plain taxes" aria-label="VAT included">
      {taxes.map((t) => (
        <li key={t.taxClass} data-rate={t.ratePercent}>
          Including VAT {t.ratePercent}% on {money(t.grossCents, currency)}: {money(t.taxCents, currency)}
        </li>
      ))}
    </ul>
  );
}
