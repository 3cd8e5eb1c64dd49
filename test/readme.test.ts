import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';

/**
 * The README's first screen, pasted as it stands: `npm start` on a fresh data directory, then
 * the commands of its first curl block (register, log in and keep the token, read the account,
 * list the products), with only the port changed; then its shopping trip in the same shell, with
 * the one-time admin password of the log pasted where it says so.
 */
const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
const firstScreen = blocks.find((block) => block.includes('TOKEN=$('));
const trip = blocks.find((block) => block.includes('idempotency-key') && block.includes('ADMIN_PASSWORD='));
const bash = promisify(execFile);

t.test("the README's first screen and shopping trip work when pasted", async (t) => {
  t.ok(blocks[0]?.includes('npm install') && blocks[0].includes('npm start'), 'the first block installs and starts');
  t.ok(firstScreen, 'a block registers, logs in and uses the token');
  t.ok(trip, 'a block walks through a shopping trip');
  t.ok(blocks.indexOf(trip!) > blocks.indexOf(firstScreen!), 'the trip comes after the first screen');
  const dir = mkdtempSync(join(tmpdir(), 'shop-readme-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));

  // npm start as a newcomer runs it, with nothing of this test run's services in its environment.
  const shop = spawn('npm', ['start'], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? dir, PORT: String(port), DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  shop.stdout.on('data', (chunk) => (log += chunk));
  shop.stderr.on('data', (chunk) => (log += chunk));
  t.teardown(() => {
    if (shop.exitCode === null) process.kill(-shop.pid!, 'SIGTERM');
  });
  for (let i = 0; i < 2400 && !log.includes('food shop ready'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  t.match(log, /food shop ready/, 'npm start came up');
  t.notMatch(log, /\.env not found/, 'no word about a .env nobody needs');
  t.match(log, /loading the demo catalog/, 'the first start loads the demo catalog');

  const screen = firstScreen!.replaceAll('localhost:8080', `localhost:${port}`);
  const { stdout } = await bash('bash', ['-euo', 'pipefail', '-c', screen], { cwd: dir });
  const answers = stdout.trim().split('\n').map((line) => JSON.parse(line));
  t.match(answers[0], { user: { email: 'ann@example.com', role: 'customer' } }, 'registered');
  t.match(answers[1], { user: { email: 'ann@example.com' } }, 'the token read the account');
  t.match(answers[2], { items: Array, page: 1, limit: 5, total: Number }, 'the products');
  t.equal(answers[2].items.length, 5, 'five products listed: the demo catalog is there');
  t.ok(answers[2].total > 200, `${answers[2].total} products in all`);

  // The trip, in the same shell as the first screen (it uses $TOKEN), the admin's password pasted.
  const [, password] = /the one-time password (\S+)/.exec(log) ?? [];
  t.ok(password, 'the log showed the admin password');
  const walk = `${screen}\n${trip!.replaceAll('localhost:8080', `localhost:${port}`).replace('paste the one-time password here', password)}`;
  const { stdout: said } = await bash('bash', ['-euo', 'pipefail', '-c', walk], { cwd: dir, timeout: 240_000 });
  const lines = said.trim().split('\n');
  const stock = Number(/^stock: (\d+)$/m.exec(said)?.[1]);
  t.ok(stock >= 5, `the product had ${stock} in stock`);
  t.match(said, new RegExp(`^confirmed; stock now ${stock - 2}$`, 'm'), 'the order confirmed, its 2 reserved');
  t.match(said, /^shipped$/m, 'the admin shipped it');
  t.match(said, /^cancelled$/m, 'the second order was cancelled');
  t.match(said, new RegExp(`^stock back to ${stock - 2}:`, 'm'), 'its stock came back');
  t.equal(lines.at(-1), 'cancelled, shipped', "Ann's orders, newest first");
});
