import type { Test } from 'tap';
import { day, deliveryAdmin, everyDay, stem } from './delivery.js';
import { adminToken, eventually, newCustomer, startShop, type Shop } from './shop.js';
import { shopping, type Customer } from './shopping.js';
import { startStripeStandIn, type StandInIntent, type StripeStandIn } from './stripe-stand-in.js';
import type { Target } from './targets.js';

export const WEBHOOK = '/api/payments/stripe/webhook';

/**
 * A shop on `target` (SHOP_TIMEZONE=UTC and `env`) with Stripe's stand-in behind it, its admin's
 * token, a Pantry category and the calls of paying(); both stop when `t` ends.
 */
export async function startPayingShop(t: Test, target: Target, env: Record<string, string> = {}) {
  const stripe = await startStripeStandIn();
  const shop = await startShop(target, { SHOP_TIMEZONE: 'UTC', ...env, ...stripe.env });
  t.teardown(async () => {
    await shop.close();
    await stripe.close();
  });
  const admin = await adminToken(shop);
  await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
  return { stripe, shop, admin, p: paying(shop, admin, stripe) };
}

/** Card and cash orders over HTTP, with Stripe's stand-in behind the shop. */
export function paying(shop: Shop, admin: string, stripe: StripeStandIn) {
  const s = shopping(shop, admin);
  const d = deliveryAdmin(shop, admin);
  const p = {
    ...s,
    /** A zone delivering every day in one slot of `capacity`, and tomorrow's slot. */
    async zone(fields: Record<string, unknown> = {}, capacity = 10) {
      const postalCode = `${stem()}1`;
      const zone = await d.zone({ name: `Zone ${postalCode}`, postcodes: [postalCode], ...fields }, { slots: everyDay(capacity), closedDays: [], capacityOverrides: [] });
      const [slot] = await d.slots(postalCode, day(1));
      const address = { street: '1 Main St', city: 'Springfield', postalCode, country: 'US' };
      return { zone, slot, address, left: async () => (await d.slots(postalCode, day(1)))[0].left };
    },
    /** A new customer with `quantity` of the product in the cart. */
    async customerWith(productId: string, quantity: number): Promise<Customer> {
      const who = await newCustomer(shop);
      const added = await s.add(who, productId, quantity);
      if (added.status !== 200) throw new Error(`cart: ${added.text}`);
      return who;
    },
    /** Waits until the order is in `status` (the saga and the webhook move it after the answers). */
    until: (who: Customer | string, id: string, status: string) =>
      eventually(async () => {
        const order = await s.order(who, id);
        return order.status === status ? order : null;
      }, 60),
    /** Posts a notification about the intent as it is now, signed by the stand-in (the SDK's test helper). */
    async notify(type: string, intent: StandInIntent, options?: Parameters<StripeStandIn['notification']>[2]) {
      const note = stripe.notification(type, intent, options);
      return { ...note, answer: await shop.call('POST', WEBHOOK, { raw: note.payload, headers: { 'stripe-signature': note.signature } }) };
    },
    /** Sends the same notification again, as Stripe does. */
    resend: (note: { payload: string; signature: string }) => shop.call('POST', WEBHOOK, { raw: note.payload, headers: { 'stripe-signature': note.signature } }),
    /** The intent the saga made for the order, once it made it. */
    intentOf: (orderId: string) => eventually(async () => stripe.intentOf(orderId) ?? null, 60),
  };
  return p;
}
