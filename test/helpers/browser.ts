import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, which .ci/run installs; suites that need it say they were skipped without it. */
export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = () => existsSync(CHROMIUM);

/** As the machine's probe starts it: no sandbox as root, nothing fetched from the network. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

/** Where screenshots go: a test artefact (.tap/ is git-ignored). */
export const ARTIFACTS = '.tap/artifacts/storefront';

/** A screenshot of the page as it is, as a small JPEG: `.tap/artifacts/storefront/<name>.jpg`. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.jpg`);
  await page.screenshot({ path, type: 'jpeg', quality: 70 });
  return path;
}

/**
 * A page whose every wait is generous (the machine may be busy) and that collects what went wrong
 * in the browser: script errors, and what the Content-Security-Policy refused.
 */
export async function newPage(browser: Browser, base: string) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1100, height: 760 } });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused/.test(message.text())) problems.push(message.text());
  });
  return { page, problems, close: () => context.close() };
}

/**
 * A small accessibility audit of the page as it is (what a Lighthouse-style check looks at first):
 * a language, one h1, every form control and button named, every image with an alt text.
 * Plain JavaScript in a string: tsx would add helpers to a function that the page does not have.
 */
const AUDIT = `(() => {
  const problems = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '');
  if (!document.documentElement.lang) problems.push('<html> has no lang');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(h1 + ' h1 elements');
  for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const named = (control.labels && control.labels.length) || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
    if (!named) problems.push(describe(control) + ' has no label');
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    if (!el.textContent.trim() && !el.getAttribute('aria-label')) problems.push(describe(el) + ' has no text');
  }
  for (const image of document.querySelectorAll('img')) if (!image.hasAttribute('alt')) problems.push(describe(image) + ' has no alt');
  return problems;
})()`;

/** The problems the audit finds on the page, none when it passes. */
export const audit = (page: Page) => page.evaluate<string[]>(AUDIT);

/** Logs in through the storefront's own form (the page then shows the account's name). */
export async function logIn(page: Page, { email, password }: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}
