import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import t from 'tap';
import { buildWeb, WEB_DIST } from '../scripts/build-web.js';
import { audit, haveChromium, launchChromium, newPage, screenshot, logIn } from './helpers/browser.js';
import { deliveryAdmin, everyDay, stem } from './helpers/delivery.js';
import { jpeg } from './helpers/images.js';
import { adminToken, eventually, startShop, uniqueEmail } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

/**
 * The storefront and back office in a real browser, on the runtime with embedded defaults: a
 * customer registers, fills a cart, picks a slot and pays cash on delivery; an admin creates a
 * product with an image, ships and delivers the order; a forgotten password is reset from the
 * mail folder's link. Every wait is for an element or an answer, never for a time.
 */
if (!haveChromium()) {
  t.comment('Chromium is not installed (apt-get install chromium): the storefront browser suite is SKIPPED');
  t.pass('skipped without Chromium');
} else {
  await t.test('the shop in a browser', async (t) => {
    if (!existsSync(join(WEB_DIST, 'index.html'))) await buildWeb();
    const shop = await startShop(targets[0], { SHOP_TIMEZONE: 'UTC' });
    t.teardown(() => shop.close());
    const browser = await launchChromium();
    t.teardown(() => browser.close());

    // What the shop has before anyone opens it: a category, a product with stock, a zone with slots.
    const admin = await adminToken(shop);
    const slug = `greens-${Date.now().toString(36)}`;
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Greens', slug } });
    const productName = `Crisp lettuce ${Date.now().toString(36)}`;
    const created = await shop.call('POST', '/api/products', { token: admin, body: { name: productName, category: slug, priceCents: 180, stock: 20, unit: 'head' } });
    t.equal(created.status, 201, 'a product to buy');
    const postcode = `${stem()}1`;
    await deliveryAdmin(shop, admin).zone({ name: 'Town', postcodes: [postcode], feeCents: 300, minimumOrderCents: 0 }, { slots: everyDay(20) });

    const customer = { name: 'Ann Browser', email: uniqueEmail('ann'), password: 'correct horse battery 1' };
    let orderId = '';

    await t.test('a customer registers, fills a cart, picks a slot, pays cash on delivery and sees the order confirmed', async (t) => {
      const { page, problems, close } = await newPage(browser, shop.url);
      t.teardown(close);
      await page.goto('/');
      await page.getByRole('heading', { name: 'All products' }).waitFor();
      await page.getByRole('link', { name: productName }).waitFor();
      await screenshot(page, 'catalog');
      // The keyboard: the first Tab reaches the skip link, which leads to the content.
      await page.keyboard.press('Tab');
      t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the first Tab stop skips the navigation');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
      t.pass('Enter on it moves focus to the content');
      t.same(await audit(page), [], 'catalog: labels, names, alt texts, one h1');

      await page.getByRole('link', { name: 'Register' }).click();
      await page.getByLabel('Name').fill(customer.name);
      await page.getByLabel('Email').fill(customer.email);
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Register' }).click();
      const refusal = page.locator('.field-error');
      await refusal.first().waitFor();
      t.match(await page.getByLabel('Password').getAttribute('aria-describedby'), /error/, "the API's words sit next to the password field");
      t.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
      await page.getByLabel('Password').fill(customer.password);
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByRole('heading', { name: 'Your account' }).waitFor();

      const address = page.getByRole('form', { name: 'New address' });
      await address.getByLabel('Street').fill('1 Main St');
      await address.getByLabel('City').fill('Springfield');
      await address.getByLabel('Postcode').fill(postcode);
      await address.getByLabel('Country').fill('US');
      await address.getByRole('button', { name: 'Add address' }).click();
      await page.getByText(`${postcode} Springfield`).first().waitFor();

      await page.getByRole('link', { name: 'Shop', exact: true }).click();
      await page.getByRole('searchbox', { name: 'Words' }).fill(productName);
      await page.getByRole('button', { name: 'Show products' }).click();
      await page.getByText('1 product').waitFor();
      await page.getByRole('link', { name: productName }).click();
      await page.getByRole('heading', { name: productName }).waitFor();
      // An access token that no longer works (as after ACCESS_TOKEN_TTL): the next call is
      // answered 401, the app renews it with the refresh token and sends the call again.
      await page.evaluate(() => {
        const saved = JSON.parse(localStorage.getItem('shop.tokens')!) as { accessToken: string };
        localStorage.setItem('shop.tokens', JSON.stringify({ ...saved, accessToken: 'expired' }));
      });
      await page.reload();
      await page.getByRole('heading', { name: productName }).waitFor();
      await page.getByLabel('Quantity').fill('3');
      await page.getByRole('button', { name: `Add to cart: ${productName}` }).click();
      await page.getByText('Added to your cart').waitFor();
      const kept = await page.evaluate(() => localStorage.getItem('shop.tokens'));
      t.match(JSON.parse(kept!), { accessToken: String }, 'still signed in');
      t.not(JSON.parse(kept!).accessToken, 'expired', 'with a renewed access token');
      await screenshot(page, 'product');
      t.same(await audit(page), [], 'product: labels, names, alt texts, one h1');

      await page.getByRole('link', { name: 'Cart (3)' }).click();
      await page.getByRole('heading', { name: 'Your cart' }).waitFor();
      t.ok(await page.getByText('Subtotal: $5.40').or(page.getByText(/Subtotal: .*5[.,]40/)).first().isVisible(), 'the subtotal of 3 × 1.80');
      await screenshot(page, 'cart');
      t.same(await audit(page), [], 'cart: labels, names, alt texts, one h1');
      await page.getByRole('link', { name: 'Checkout' }).click();
      await page.getByRole('heading', { name: 'Checkout' }).waitFor();
      await page.getByText(/Delivery: .*3[.,]00 \(Town\)/).waitFor();
      const slot = page.locator('.slots input[type=radio]:not([disabled])').first();
      await slot.check();
      await screenshot(page, 'checkout');
      t.same(await audit(page), [], 'checkout: labels, names, alt texts, one h1');
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.waitForURL(/\/orders\/[\w-]+$/);
      orderId = page.url().split('/').pop()!;
      await page.locator('[data-status=confirmed]').waitFor();
      t.pass('the order moved from pending to confirmed on the page');
      await page.getByText('Cash on delivery').or(page.getByRole('heading', { name: 'History' })).first().waitFor();
      await screenshot(page, 'order');
      t.same(await audit(page), [], 'order: labels, names, alt texts, one h1');
      t.same(problems, [], 'no script errors, nothing refused by the Content-Security-Policy');
    });

    await t.test('an admin creates a product with an image, then ships and delivers the order', async (t) => {
      const { page, problems, close } = await newPage(browser, shop.url);
      t.teardown(close);
      await logIn(page, shop.admin);
      await page.getByRole('link', { name: 'Back office' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await page.getByText('Nothing is running low.').or(page.getByRole('heading', { name: /Low stock/ })).first().waitFor();
      await screenshot(page, 'admin-dashboard');
      t.same(await audit(page), [], 'admin-dashboard: labels, names, alt texts, one h1');

      await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Products' }).click();
      const form = page.getByRole('form', { name: 'New product' });
      await form.getByLabel('Name').fill('Browser-made bread');
      await form.getByLabel('Category').selectOption(slug);
      await form.getByLabel('Price').fill('3.20');
      await form.getByLabel('Stock').fill('12');
      await form.getByRole('button', { name: 'Create product' }).click();
      await page.getByRole('heading', { name: 'Browser-made bread' }).waitFor();
      await page.getByLabel('JPEG, PNG or WebP').setInputFiles({ name: 'bread.jpg', mimeType: 'image/jpeg', buffer: jpeg() });
      await page.getByRole('button', { name: 'Upload image' }).click();
      await page.getByText('Image uploaded').waitFor();
      await page.getByAltText('Current image of Browser-made bread').waitFor();
      const listed = await shop.call('GET', `/api/products?q=${encodeURIComponent('Browser-made bread')}`);
      t.match(listed.body.items[0], { name: 'Browser-made bread', priceCents: 320, stock: 12, thumbnailUrl: String }, 'created through the API, with its image');
      await screenshot(page, 'admin-product');
      t.same(await audit(page), [], 'admin-product: labels, names, alt texts, one h1');

      await page.goto('/admin/orders?status=confirmed');
      const row = page.locator(`tr[data-order="${orderId}"]`);
      await row.getByRole('button', { name: /^Ship/ }).click();
      await row.getByText('Shipped').waitFor();
      await row.getByRole('button', { name: /^Deliver/ }).click();
      await row.getByText('Delivered').waitFor();
      await screenshot(page, 'admin-orders');
      t.same(await audit(page), [], 'admin-orders: labels, names, alt texts, one h1');
      const order = await shop.call('GET', `/api/orders/${orderId}`, { token: admin });
      t.equal(order.body.order.status, 'delivered');
      t.same(problems, [], 'no script errors, nothing refused by the Content-Security-Policy');
    });

    await t.test('an admin makes a delivery zone with its slots; a bad postcode is refused next to its field', async (t) => {
      const { page, problems, close } = await newPage(browser, shop.url);
      t.teardown(close);
      await logIn(page, shop.admin);
      await page.getByRole('link', { name: 'Back office' }).waitFor();
      await page.goto('/admin/delivery');
      const form = page.getByRole('form', { name: 'New zone' });
      await form.getByLabel('Name').fill('Harbour');
      await form.getByLabel('Postcodes').fill('no such code!');
      await form.getByLabel('Delivery fee').fill('2.50');
      await form.getByRole('button', { name: 'Create zone' }).click();
      await form.locator('.field-error').first().waitFor();
      t.match(await form.getByLabel('Postcodes').getAttribute('aria-describedby'), /error/, 'the refusal sits next to the postcodes');
      const harbour = `${stem()}*`;
      await form.getByLabel('Postcodes').fill(harbour);
      await form.getByRole('button', { name: 'Create zone' }).click();
      const zone = page.getByRole('region', { name: /Harbour/ });
      await zone.waitFor();
      await zone.getByRole('button', { name: 'Add a slot' }).click();
      await zone.getByLabel('Capacity of slot 1').fill('8');
      await zone.getByRole('button', { name: 'Save timetable' }).click();
      await zone.getByText('Timetable saved').waitFor();
      await screenshot(page, 'admin-delivery');
      t.same(await audit(page), [], 'admin-delivery: labels, names, alt texts, one h1');
      const zones = await shop.call('GET', '/api/admin/delivery-zones', { token: admin });
      t.match(zones.body.items.find((z: { name: string }) => z.name === 'Harbour'), { feeCents: 250, timetable: [{ weekday: 1, start: '09:00', end: '12:00', capacity: 8 }] });
      t.same(problems, [], 'no script errors');
    });

    /** The link to `path` in a mail to `to` in the mail folder: mails are written by queue-triggered functions, so wait for the file, not for a time. */
    const mailLink = (to: string, path: string) => {
      const folder = join(shop.env.DATA_DIR!, 'mail');
      return eventually(async () => {
        for (const name of existsSync(folder) ? readdirSync(folder) : []) {
          const mail = await simpleParser(readFileSync(join(folder, name)));
          const found = new RegExp(`${path}\\?token=[\\w-]+`).exec(mail.text ?? '');
          if (found && JSON.stringify(mail.to ?? '').includes(to)) return found[0];
        }
        return null;
      }, 120);
    };

    await t.test("the welcome mail's link verifies the email address", async (t) => {
      const { page, problems, close } = await newPage(browser, shop.url);
      t.teardown(close);
      const link = await mailLink(customer.email, '/verify-email');
      t.ok(link, 'the welcome mail is in the mail folder');
      await page.goto(link!);
      await page.getByText('Your email address is verified').waitFor();
      t.same(problems, [], 'no script errors');
    });

    await t.test("a forgotten password is reset from the mail folder's link", async (t) => {
      const { page, problems, close } = await newPage(browser, shop.url);
      t.teardown(close);
      await page.goto('/login');
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByLabel('Email').fill(customer.email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByRole('status').first().waitFor();

      const link = await mailLink(customer.email, '/reset-password');
      t.ok(link, 'the reset mail is in the mail folder');
      await page.goto(link!);
      await page.getByLabel('New password').fill('a brand new passphrase 2');
      await page.getByRole('button', { name: 'Set the password' }).click();
      await page.getByRole('heading', { name: 'Password changed' }).waitFor();
      await page.getByRole('link', { name: 'Log in' }).last().click();
      await page.getByLabel('Email').fill(customer.email);
      await page.getByLabel('Password').fill('a brand new passphrase 2');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('link', { name: customer.name }).waitFor();
      t.pass('logged in with the new password');
      t.same(problems, [], 'no script errors');
    });
  });
}
