import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { call } from './helpers/shop.js';
import { freePort, ready, start } from './helpers/process.js';
import { freshPostgres, postgresUrl } from './helpers/targets.js';

/**
 * What `npm start` decides before it serves: the demo catalog of a first embedded start (on,
 * off, never with real services), an admin password taken from .env.example, and the one
 * warning that names every embedded default left. (test/first-run.test.ts has the rest of a
 * newcomer's first start; the two files run side by side.)
 */

const dataDir = (t: Test) => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-start-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

t.test('DEMO_CATALOG=false: a first start on embedded defaults leaves the catalog empty', async (t) => {
  const port = await freePort();
  const shop = start({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir(t), DEMO_CATALOG: 'false' });
  t.teardown(() => shop.stop());
  await ready(shop);
  t.notMatch(shop.output(), /demo catalog/);
  t.equal((await call(`http://127.0.0.1:${port}`, 'GET', '/api/products')).body.total, 0);
  await shop.stop();
  const typo = start({ DATA_DIR: dataDir(t), DEMO_CATALOG: 'maybe' });
  t.equal(await typo.exited, 1);
  t.match(typo.output(), /DEMO_CATALOG=maybe is not on or off/);
});

t.test('.env.example ships no admin password, and with real services one taken from it stops the start', async (t) => {
  const example = readFileSync('.env.example', 'utf8');
  t.match(example, /^# ADMIN_PASSWORD=$/m, 'commented out and empty');
  t.notMatch(example, /^ADMIN_(PASSWORD|EMAIL)=/m, 'nothing set');
  // The refusal comes before any connection: the database need not exist.
  const real = { DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', ADMIN_EMAIL: 'boss@example.com' };
  const phrase = example.match(/fill in what you need/)![0];
  for (const password of [phrase, phrase.toUpperCase()]) {
    const shop = start({ ...real, ADMIN_PASSWORD: password, DATA_DIR: dataDir(t) });
    t.equal(await shop.exited, 1, password);
    t.match(shop.output().trim().split('\n'), [/^food shop cannot start: ADMIN_PASSWORD .*is text of \.env\.example.*create-admin/], 'one sentence');
  }
  // On embedded defaults the policy refuses the example's words (a start with a bad admin password stops).
  const port = await freePort();
  const embedded = start({ PORT: String(port), HOST: '127.0.0.1', ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'change-me-please', DATA_DIR: dataDir(t) });
  t.equal(await embedded.exited, 1);
  t.match(embedded.output(), /ADMIN_PASSWORD .*is refused: the password is made of the example's words or the shop's name/);
});

t.test(
  'real services: no demo catalog, and one warning names every embedded default left, the key included',
  { skip: postgresUrl ? false : 'DATABASE_URL (postgres://…) not set: SKIPPED' },
  async (t) => {
    const db = await freshPostgres(postgresUrl!);
    t.teardown(() => db.cleanup());
    const port = await freePort();
    const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir(t), DATABASE_URL: db.url, ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'a long boss password' };
    const shop = start(env);
    t.teardown(() => shop.stop());
    await ready(shop);
    t.notMatch(shop.output(), /demo catalog|PGlite/);
    t.equal((await call(`http://127.0.0.1:${port}`, 'GET', '/api/products')).body.total, 0, 'an empty catalog');
    const warnings = shop.output().split('\n').filter((line) => /embedded defaults/.test(line));
    t.equal(warnings.length, 1, 'one warning');
    t.match(warnings[0], /keyValue: in-memory \(set REDIS_URL\).*images: files in .*\(set CLOUDINARY_URL\).*tokenKey: development key in .*dev-jwt-private-key\.pem \(set JWT_PRIVATE_KEY\)/);
    t.notMatch(warnings[0], /database:/, 'the database is real');
    await shop.stop();
  },
);
