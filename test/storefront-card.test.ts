import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { buildWeb, WEB_DIST } from '../scripts/build-web.js';
import { audit, haveChromium, launchChromium, newPage, screenshot, logIn } from './helpers/browser.js';
import { deliveryAdmin, everyDay, stem } from './helpers/delivery.js';
import { paying } from './helpers/paying.js';
import { adminToken, eventually, newCustomer, startShop } from './helpers/shop.js';
import { startStripeStandIn } from './helpers/stripe-stand-in.js';
import { targets } from './helpers/targets.js';

/**
 * The storefront with the features that came after it, in a real browser: a product sold by
 * weight bought in grams, paid by card in Stripe's Payment Element (a fake Stripe.js served by the
 * Stripe stand-in, STRIPE_JS_URL), confirmed by the signed webhook; an admin packs the weight line
 * heavier than ordered, within the tolerance, then refunds part of the delivered order. Every wait
 * is for an element or an answer, never for a time.
 */
if (!haveChromium()) {
  t.comment('Chromium is not installed (apt-get install chromium): the storefront card suite is SKIPPED');
  t.pass('skipped without Chromium');
} else {
  await t.test('weight and card in a browser', async (t) => {
    if (!existsSync(join(WEB_DIST, 'index.html'))) await buildWeb();
    const stripe = await startStripeStandIn();
    t.teardown(() => stripe.close());
    const shop = await startShop(targets[0], { SHOP_TIMEZONE: 'UTC', ...stripe.env });
    t.teardown(() => shop.close());
    const browser = await launchChromium();
    t.teardown(() => browser.close());

    const admin = await adminToken(shop);
    const slug = `cheese-${Date.now().toString(36)}`;
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Cheese', slug } });
    const cheese = `Comté ${Date.now().toString(36)}`;
    const created = await shop.call('POST', '/api/products', {
      token: admin,
      body: { name: cheese, category: slug, by: 'weight', pricePerKgCents: 1234, stepGrams: 50, minGrams: 100, typicalGrams: 180, stock: 5000, taxClass: 'reduced' },
    });
    t.equal(created.status, 201, 'a cheese sold by weight');
    const postalCode = `${stem()}1`;
    await deliveryAdmin(shop, admin).zone({ name: 'Card town', postcodes: [postalCode] }, { slots: everyDay(20) });
    const customer = await newCustomer(shop, 'Carla');
    const address = await shop.call('POST', '/api/users/me/addresses', {
      token: customer.accessToken,
      body: { street: '2 Dairy Lane', city: 'Springfield', postalCode, country: 'US' },
    });
    t.equal(address.status, 201, 'the customer has an address in the zone');
    let orderId = '';

    await t.test('a customer buys 250 g of a cheese and pays by card through the stand-in', async (t) => {
      const { page, problems, close } = await newPage(browser, shop.url);
      t.teardown(close);
      await logIn(page, customer);
      await page.getByRole('link', { name: 'Carla' }).waitFor();

      await page.goto(`/products/${created.body.product.id}`);
      await page.getByRole('heading', { name: cheese }).waitFor();
      t.match(await page.locator('.price').textContent(), /12[.,]34\s*\/ kg.*about 180 g each/, 'the price per kg and the typical weight');
      const weights = await page.getByLabel('Weight').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      t.same(weights.slice(0, 3), ['100', '150', '200'], 'grams on the step of 50 from the minimum of 100');
      await page.getByLabel('Weight').selectOption('250');
      await page.getByRole('button', { name: `Add to cart: ${cheese}` }).click();
      await page.getByText('Added to your cart').waitFor();
      t.same(await audit(page), [], 'weight product: labels, names, alt texts, one h1');

      await page.goto('/cart');
      await page.getByRole('heading', { name: 'Your cart' }).waitFor();
      t.equal(await page.getByLabel(`Grams of ${cheese}`).inputValue(), '250', 'the line in grams');
      t.ok(await page.getByText('estimated: weighed at packing').isVisible(), 'an estimated total');
      t.match(await page.locator('.lines tbody tr').first().textContent(), /3[.,]09/, '1234 per kg × 250 g = 308.5, rounded to 309');
      await page.getByText(/Including VAT 5% on .*3[.,]09/).waitFor();
      t.pass('the VAT included at the reduced rate');
      await page.getByLabel(`If ${cheese} is unavailable`).selectOption('substitute');
      const wish = await eventually(async () => {
        const cart = await shop.call('GET', '/api/cart', { token: customer.accessToken });
        return cart.body.items[0].ifUnavailable === 'substitute' ? cart.body.items[0] : null;
      });
      t.match(wish, { grams: 250, lineTotalCents: 309 }, 'a substitute is wanted if it cannot be packed');
      t.same(await audit(page), [], 'cart with a weight line: labels, names, alt texts, one h1');

      await page.getByRole('link', { name: 'Checkout' }).click();
      await page.getByRole('heading', { name: 'Checkout' }).waitFor();
      await page.locator('.slots input[type=radio]:not([disabled])').first().check();
      await page.locator('input[name=paymentMethod][value=card]').check();
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.waitForURL(/\/orders\/[\w-]+$/);
      orderId = page.url().split('/').pop()!;
      const form = page.getByRole('form', { name: 'Pay by card' });
      await form.locator('[data-fake-stripe=mounted]').waitFor();
      t.pass("Stripe's Payment Element is mounted with the order's client secret");
      await screenshot(page, 'card-payment');
      await form.getByRole('button', { name: /^Pay / }).click();
      await page.getByText("Payment sent: waiting for Stripe's confirmation").waitFor();
      const intent = stripe.intentOf(orderId)!;
      t.equal(intent.status, 'requires_capture', 'Stripe.js confirmed the intent at the stand-in: the card is authorised');
      const { answer } = await paying(shop, admin, stripe).notify('payment_intent.amount_capturable_updated', intent);
      t.equal(answer.status, 200, 'the signed webhook is taken');
      await page.locator('[data-status=confirmed]').waitFor();
      t.pass('the page shows the order confirmed');
      await page.locator('[data-payment=authorized]').waitFor();
      t.same(await audit(page), [], 'card order: labels, names, alt texts, one h1');
      t.same(problems, [], 'no script errors, nothing refused by the Content-Security-Policy');
    });

    await t.test('an admin packs the weight line heavier within the tolerance, then refunds part of it', async (t) => {
      const { page, problems, close } = await newPage(browser, shop.url);
      t.teardown(close);
      await logIn(page, shop.admin);
      await page.getByRole('link', { name: 'Back office' }).waitFor();
      await page.goto('/admin/orders?status=confirmed');
      await page.locator(`tr[data-order="${orderId}"] a[href="/admin/orders/${orderId}"]`).click();
      const packing = page.getByRole('form', { name: `Pack ${cheese}` });
      await packing.getByLabel(`Weighed grams of ${cheese}`).fill('300');
      await packing.getByRole('button', { name: `Pack ${cheese}` }).click();
      await packing.locator('.field-error').or(packing.getByRole('alert')).first().waitFor();
      t.pass('300 g, beyond the 10% tolerance over 250 g, is refused on the form');
      await packing.getByLabel(`Weighed grams of ${cheese}`).fill('270');
      await packing.getByRole('button', { name: `Pack ${cheese}` }).click();
      await page.getByText('packed: 270 g').waitFor();
      const packed = await shop.call('GET', `/api/orders/${orderId}`, { token: admin });
      t.match(packed.body.order.items[0], { grams: 250, packed: { grams: 270, lineTotalCents: 333 } }, 'weighed 270 g: 1234 × 0.27 = 333.18, so 333');
      await screenshot(page, 'admin-packing');
      t.same(await audit(page), [], 'admin order: labels, names, alt texts, one h1');

      t.equal((await shop.call('PATCH', `/api/orders/${orderId}/status`, { token: admin, body: { status: 'shipped' } })).status, 200, 'shipped: the card is captured');
      t.equal((await shop.call('PATCH', `/api/orders/${orderId}/status`, { token: admin, body: { status: 'delivered' } })).status, 200);
      await page.reload();
      const refund = page.getByRole('form', { name: 'Refund' });
      await refund.getByLabel('Amount to refund').fill('1.00');
      await refund.getByLabel('Reason').fill('A bruised corner');
      await refund.getByRole('button', { name: 'Refund' }).click();
      await page.getByText(/refunded .*1[.,]00/).first().waitFor();
      const refunded = await shop.call('GET', `/api/orders/${orderId}`, { token: admin });
      t.match(refunded.body.order.payment, { capturedCents: 333 + 0, refundedCents: 100 }, 'refunded at the stand-in');
      t.same(problems, [], 'no script errors, nothing refused by the Content-Security-Policy');
    });
  });
}
