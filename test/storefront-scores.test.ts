import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from 'lighthouse';
import t from 'tap';
import { WEB_DIST } from '../runtime/web.js';
import { buildWeb } from '../scripts/build-web.js';
import { PAGES, prepare, scorePages, startDemoShop } from '../scripts/web-scores.js';
import { FIRST_PAGE_BUDGET } from '../scripts/web-size.js';
import { haveChromium } from './helpers/browser.js';

/**
 * Lighthouse on the storefront's main pages (the pages and runner of `npm run web:scores`). Only
 * what does not depend on the machine's speed is asserted: the accessibility and best-practices
 * scores, and the performance audits that count bytes and files, never the performance score or
 * a timing. Lighthouse's simulated throttling keeps each run's clock out of it, but not the load.
 */

/** Performance audits that list what is wrong with the files themselves: each must list nothing. */
const FILE_AUDITS = [
  'unsized-images',
  'offscreen-images',
  'uses-responsive-images',
  'uses-optimized-images',
  'modern-image-formats',
  'uses-long-cache-ttl',
  'unminified-javascript',
  'unminified-css',
  'duplicated-javascript',
  'legacy-javascript',
  'redirects',
];

/** An audit's table rows (none when it has no table). */
const items = <T = unknown>(lhr: Result, id: string) => ((lhr.audits[id].details as unknown as { items?: T[] } | undefined)?.items ?? []);

if (!haveChromium()) {
  t.comment('Chromium is not installed (apt-get install chromium): the Lighthouse suite is SKIPPED');
  t.pass('skipped without Chromium');
} else {
  // Six Lighthouse runs take a minute or two here; a busy machine gets far more.
  t.setTimeout(900_000);
  await t.test('Lighthouse on the main pages', async (t) => {
    if (!existsSync(join(WEB_DIST, 'index.html'))) await buildWeb();
    const shop = await startDemoShop();
    t.teardown(() => shop.close());
    const results = await scorePages(shop.url, await prepare(shop.url));
    t.same(
      results.map((r) => r.name),
      PAGES.map((p) => p.name),
      'every page was audited',
    );
    for (const { name, lhr } of results) {
      const failing = (category: string) =>
        lhr.categories[category].auditRefs.filter((ref) => ref.weight > 0 && (lhr.audits[ref.id].score ?? 1) < 1).map((ref) => ref.id);
      t.ok(lhr.categories.accessibility.score! >= 0.9, `${name}: accessibility ${lhr.categories.accessibility.score}`, { failing: failing('accessibility') });
      t.ok(lhr.categories['best-practices'].score! >= 0.9, `${name}: best practices ${lhr.categories['best-practices'].score}`, { failing: failing('best-practices') });
      t.equal(lhr.audits.viewport.score, 1, `${name}: a viewport for phones`);
      for (const id of FILE_AUDITS) {
        t.same(items(lhr, id), [], `${name}: ${id} finds nothing`);
      }
      // The app's own files come compressed; the API's JSON is left to Nginx (gzip_types), as in production.
      const uncompressed = items<{ url: string }>(lhr, 'uses-text-compression').map((item) => new URL(item.url).pathname);
      t.same(
        uncompressed.filter((path) => !path.startsWith('/api/')),
        [],
        `${name}: scripts and styles compressed`,
      );
      const script = items<{ resourceType: string; transferSize: number }>(lhr, 'resource-summary').find((item) => item.resourceType === 'script')!.transferSize;
      t.ok(script < FIRST_PAGE_BUDGET, `${name}: ${script} bytes of JavaScript on the wire, under the issue's ${FIRST_PAGE_BUDGET}`);
      t.equal(lhr.audits['total-byte-weight'].score, 1, `${name}: total weight ${lhr.audits['total-byte-weight'].numericValue} bytes`);
    }
  });
}
