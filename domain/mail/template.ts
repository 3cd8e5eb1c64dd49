/** Plain template literals with escaping: every value put into HTML goes through `html`. */

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => entities[c]);

/** Markup we wrote ourselves, never escaped again. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

type Value = string | number | SafeHtml | SafeHtml[] | undefined;

const render = (value: Value): string => {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(String(value));
};

/** `html\`<p>Hello ${name}</p>\``: interpolated values are escaped unless they are SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/**
 * Text parts never carry markup, but a mail client may still turn text into links or HTML: line
 * breaks and control characters in user values are flattened, so a name cannot add lines.
 */
export const plain = (value: string) => value.replace(/\p{Cc}+/gu, ' ');

/** An amount in minor units in the shop's currency: 1234, USD → $12.34. */
export const money = (cents: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 10 ** fractionDigits(currency));

const fractionDigits = (currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** The frame of every HTML part: the shop's name, the message, a footer. */
export const layout = (shopName: string, body: SafeHtml) =>
  html`<!doctype html><html><head><meta charset="utf-8"><title>${shopName}</title></head><body style="font-family:sans-serif;max-width:600px;margin:auto"><h2>${shopName}</h2>${body}<p style="color:#888;font-size:12px">${shopName}</p></body></html>`
    .value;
