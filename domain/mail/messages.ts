import { html, layout, money, plain, type SafeHtml } from './template.js';

/** One template per message: a subject, a text part and an HTML part in which every user or catalog value is escaped. */

export interface MailContext {
  shopName: string;
  currency: string;
}

export interface Content {
  subject: string;
  text: string;
  html: string;
}

const compose = (ctx: MailContext, subject: string, text: string[], body: SafeHtml): Content => ({
  subject: `${subject} – ${plain(ctx.shopName)}`,
  text: `${text.join('\n\n')}\n\n-- \n${plain(ctx.shopName)}\n`,
  html: layout(ctx.shopName, body),
});

/** Without a link for an address that is verified already (the first admin's). */
export function welcome(ctx: MailContext, name: string, verifyLink?: string): Content {
  if (!verifyLink) {
    return compose(ctx, 'Welcome', [`Hello ${plain(name)},`, `welcome to ${plain(ctx.shopName)}.`], html`<p>Hello ${name},</p><p>welcome to ${ctx.shopName}.</p>`);
  }
  return compose(
    ctx,
    'Welcome, please confirm your email',
    [`Hello ${plain(name)},`, `welcome to ${plain(ctx.shopName)}. Please confirm your email address by opening this link within 24 hours:`, verifyLink],
    html`<p>Hello ${name},</p><p>welcome to ${ctx.shopName}. Please confirm your email address:</p><p><a href="${verifyLink}">Confirm my email</a></p><p>${verifyLink}</p>`,
  );
}

export function verifyEmail(ctx: MailContext, name: string, verifyLink: string): Content {
  return compose(
    ctx,
    'Confirm your email',
    [`Hello ${plain(name)},`, 'please confirm this email address for your account by opening this link within 24 hours:', verifyLink],
    html`<p>Hello ${name},</p><p>please confirm this email address for your account:</p><p><a href="${verifyLink}">Confirm my email</a></p><p>${verifyLink}</p>`,
  );
}

export function emailChangedNotice(ctx: MailContext, name: string, newEmail: string): Content {
  return compose(
    ctx,
    'Your email address was changed',
    [`Hello ${plain(name)},`, `the email address of your account was changed to ${plain(newEmail)}. If you did not do this, reset your password at once and contact us.`],
    html`<p>Hello ${name},</p><p>the email address of your account was changed to <b>${newEmail}</b>. If you did not do this, reset your password at once and contact us.</p>`,
  );
}

export function passwordReset(ctx: MailContext, name: string, resetLink: string, minutes: number): Content {
  return compose(
    ctx,
    'Reset your password',
    [`Hello ${plain(name)},`, `someone asked to reset the password of your account. This link sets a new one; it works once, for ${minutes} minutes:`, resetLink, 'If it was not you, ignore this mail: your password stays as it is.'],
    html`<p>Hello ${name},</p><p>someone asked to reset the password of your account. This link sets a new one; it works once, for ${minutes} minutes:</p><p><a href="${resetLink}">Choose a new password</a></p><p>${resetLink}</p><p>If it was not you, ignore this mail: your password stays as it is.</p>`,
  );
}

export interface OrderView {
  id: string;
  items: {
    name: string;
    by?: 'piece' | 'weight';
    quantity: number;
    lineTotalCents: number;
    packed?: { quantity: number; substitute?: { name: string }; lineTotalCents: number };
  }[];
  totalCents: number;
  currency: string;
}

type ItemView = OrderView['items'][number];
const amount = (i: ItemView, n: number) => (i.by === 'weight' ? `${n} g` : `${n}`);
/** What went for a line when packing changed it (weighed otherwise, short, substituted), else null. */
const change = (i: ItemView): string | null => {
  const p = i.packed;
  if (!p || (!p.substitute && p.quantity === i.quantity)) return null;
  if (p.substitute) return `replaced by ${amount(i, p.quantity)}${i.by === 'weight' ? ' of' : ' ×'} ${p.substitute.name}`;
  if (p.quantity === 0) return 'none available, not charged';
  return i.by === 'weight' ? `weighed ${p.quantity} g` : `only ${p.quantity} available`;
};
const lineText = (i: ItemView) => `${amount(i, i.quantity)}${i.by === 'weight' ? ' of' : ' ×'} ${i.name}`;
const lineCost = (i: ItemView) => i.packed?.lineTotalCents ?? i.lineTotalCents;

const lines = (order: OrderView) =>
  order.items.map((i) => {
    const changed = change(i);
    return `${plain(lineText(i))}${changed ? ` (${plain(changed)})` : ''}: ${money(lineCost(i), order.currency)}`;
  });
const linesHtml = (order: OrderView) =>
  html`<table>${order.items.map((i) => {
    const changed = change(i);
    return html`<tr><td>${lineText(i)}${changed ? html`<br><i>${changed}</i>` : ''}</td><td style="text-align:right">${money(lineCost(i), order.currency)}</td></tr>`;
  })}<tr><td><b>Total</b></td><td style="text-align:right"><b>${money(order.totalCents, order.currency)}</b></td></tr></table>`;

/** The changes packing made, for the "shipped" mail: one sentence per line changed. */
const packingChanges = (order: OrderView) =>
  order.items.flatMap((i) => {
    const changed = change(i);
    return changed ? [`${lineText(i)}: ${changed}.`] : [];
  });

/** A cancellation's reason in words. */
export const cancelReasons: Record<string, string> = {
  out_of_stock: 'a product in it ran out of stock',
  expired: 'it could not be completed in time',
  cancelled_by_customer: 'you cancelled it',
  cancelled_by_admin: 'the shop cancelled it',
  account_deleted: 'your account was deleted',
  slot_full: 'its delivery slot filled up before it could be held',
  payment_failed: 'the card payment did not go through; nothing was charged',
  payment_expired: 'it was not paid in time; nothing was charged',
};

export type OrderMailKind = 'placed' | 'confirmed' | 'cancelled' | 'shipped' | 'delivered';

export function orderMail(ctx: MailContext, kind: OrderMailKind, name: string, order: OrderView, reason?: string): Content {
  const short = order.id.slice(-8);
  const why = cancelReasons[reason ?? ''] ?? 'it was cancelled';
  const headline: Record<OrderMailKind, [subject: string, sentence: string]> = {
    placed: [`We received your order ${short}`, 'we received your order and are checking the stock.'],
    confirmed: [`Your order ${short} is confirmed`, 'your order is confirmed.'],
    cancelled: [`Your order ${short} was cancelled`, `your order was cancelled: ${why}. Nothing is charged for it.`],
    shipped: [`Your order ${short} is on its way`, 'your order has been shipped.'],
    delivered: [`Your order ${short} was delivered`, 'your order was delivered. Enjoy!'],
  };
  const [subject, sentence] = headline[kind];
  const changes = kind === 'shipped' ? packingChanges(order) : [];
  const changed = changes.length ? ['Changes at packing (you pay for what was packed):', ...changes.map((c) => `- ${plain(c)}`)] : [];
  return compose(
    ctx,
    subject,
    [`Hello ${plain(name)},`, sentence, ...changed, ...lines(order), `Total: ${money(order.totalCents, order.currency)}`],
    html`<p>Hello ${name},</p><p>${sentence}</p>${changes.length ? html`<p>Changes at packing (you pay for what was packed):</p><ul>${changes.map((c) => html`<li>${c}</li>`)}</ul>` : ''}${linesHtml(order)}`,
  );
}

export function cartReminder(ctx: MailContext, name: string, lines: { name: string; quantity: number; by?: 'weight' }[], cartLink: string): Content {
  const items = lines.map((i) => (i.by === 'weight' ? { name: `of ${i.name}`, quantity: `${i.quantity} g` } : { name: `× ${i.name}`, quantity: String(i.quantity) }));
  return compose(
    ctx,
    'Your cart is waiting',
    [`Hello ${plain(name)},`, 'you left these in your cart:', ...items.map((i) => `${i.quantity} ${plain(i.name)}`), cartLink, 'You get this mail because you asked for offers and reminders; turn them off in your profile (marketingEmails).'],
    html`<p>Hello ${name},</p><p>you left these in your cart:</p><ul>${items.map((i) => html`<li>${i.quantity} ${i.name}</li>`)}</ul><p><a href="${cartLink}">Go to my cart</a></p><p style="color:#888">You get this mail because you asked for offers and reminders; turn them off in your profile.</p>`,
  );
}
