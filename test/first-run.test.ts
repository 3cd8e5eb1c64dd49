import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { call } from './helpers/shop.js';
import { bare, createAdmin, freePort, ready, run, start } from './helpers/process.js';

/** `npm start` as a newcomer runs it: its own process, embedded defaults, what it says. */

const dataDir = (t: Test) => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-first-run-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

t.test('a bad setting ends the start with one sentence and exit code 1, before anything starts', async (t) => {
  for (const [env, said] of [
    [{ PORT: 'eighty' }, /PORT=eighty is not a port number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL=loud is not one of/],
    [{ DATABASE_URL: 'mysql://db/shop' }, /DATABASE_URL must start with postgres/],
  ] as const) {
    const shop = start({ ...env, DATA_DIR: dataDir(t) });
    t.equal(await shop.exited, 1, JSON.stringify(env));
    t.match(shop.output(), said);
    t.match(shop.output().trim().split('\n'), [/^food shop cannot start: /], 'one line, no stack trace');
  }
});

t.test('a busy port ends the start with one sentence and exit code 1', async (t) => {
  const busy = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => busy.once('listening', resolve));
  t.teardown(() => busy.close());
  const shop = start({ PORT: String((busy.address() as { port: number }).port), HOST: '127.0.0.1', DATA_DIR: dataDir(t) });
  t.equal(await shop.exited, 1);
  t.match(shop.output().trim(), /^food shop cannot start: port \d+ on 127\.0\.0\.1 is in use .*set PORT/);
  t.notMatch(shop.output(), /PGlite|initialising/, 'found before the database was touched');
});

t.test('embedded defaults without ADMIN_EMAIL: the log names a first admin and its one-time password', async (t) => {
  const dir = dataDir(t);
  const port = await freePort();
  const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir };
  const first = start(env);
  t.teardown(() => first.stop());
  await ready(first);
  t.match(first.output(), /initialising the embedded database .*first start takes a few seconds/, 'the slow step says so');
  t.match(first.output(), /first start on an empty data directory: loading the demo catalog .*DEMO_CATALOG=false turns this off/);
  t.match(first.output(), /loaded the demo catalog in [\d.]+ s: \d+ categories, \d+ products/);
  const [, email, password] = /created the first admin (\S+) with the one-time password (\S+)/.exec(first.output()) ?? [];
  t.ok(password, 'a password was shown');
  const base = `http://127.0.0.1:${port}`;
  const login = await call(base, 'POST', '/api/auth/login', { body: { email, password } });
  t.equal(login.body.user.role, 'admin');
  const products = await call(base, 'GET', '/api/products?limit=5');
  t.ok(products.body.total > 200, `the demo catalog is there: ${products.body.total} products`);
  await first.stop();

  const again = start(env);
  t.teardown(() => again.stop());
  await ready(again);
  t.notMatch(again.output(), /one-time password/, 'shown once: the second start makes no new admin');
  t.notMatch(again.output(), /first start takes a few seconds|demo catalog/, 'a later start neither initialises nor loads anything');
  t.match(again.output(), /opening the embedded database/);
  await again.stop();
});

t.test('npm run create-admin makes an admin, or promotes an account', async (t) => {
  const dir = dataDir(t);
  const made = createAdmin({ DATA_DIR: dir }, 'boss@example.com', '--password', 'a long boss password');
  t.equal(await made.exited, 0, made.output());
  t.match(made.output(), /Created the admin boss@example.com\./);
  const usage = createAdmin({ DATA_DIR: dir });
  t.equal(await usage.exited, 1);
  t.match(usage.output(), /usage: npm run create-admin/);

  const port = await freePort();
  const shop = start({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir });
  t.teardown(() => shop.stop());
  await ready(shop);
  t.notMatch(shop.output(), /one-time password/, 'an admin exists: no default one');
  const base = `http://127.0.0.1:${port}`;
  const login = await call(base, 'POST', '/api/auth/login', { body: { email: 'boss@example.com', password: 'a long boss password' } });
  t.equal(login.body.user.role, 'admin');
  await call(base, 'POST', '/api/auth/register', { body: { email: 'ann@example.com', password: 'correct horse 1', name: 'Ann' } });
  const locked = createAdmin({ DATA_DIR: dir }, 'ann@example.com');
  t.equal(await locked.exited, 1, 'PGlite serves one process');
  t.match(locked.output(), /in use by process .*stop that process first/);
  await shop.stop();

  const promoted = createAdmin({ DATA_DIR: dir }, 'ann@example.com');
  t.equal(await promoted.exited, 0, promoted.output());
  t.match(promoted.output(), /ann@example.com is an admin now/);
});

t.test('logs: readable lines at a terminal, JSON otherwise', async (t) => {
  const port = await freePort();
  const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir(t), ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'a long admin password', DEMO_CATALOG: 'false' };
  const piped = start(env);
  t.teardown(() => piped.stop());
  await ready(piped);
  const line = piped.output().split('\n').find((l) => l.includes('food shop ready'))!;
  t.match(JSON.parse(line), { level: 30, msg: /food shop ready/ }, 'JSON when the output is not a terminal');
  await piped.stop();

  // util-linux's script gives the process a terminal, as a person running npm start has.
  const terminal = run(['script', '-qfec', `${process.execPath} --import tsx runtime/main.ts`, '/dev/null'], { ...bare(), ...env });
  t.teardown(() => terminal.stop());
  await ready(terminal);
  const pretty = terminal.output().split('\n').find((l) => l.includes('food shop ready'))!;
  t.match(pretty, /INFO.*food shop ready/);
  t.throws(() => JSON.parse(pretty), 'not JSON');
});
