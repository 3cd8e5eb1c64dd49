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
