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
 * list the products), with only the port changed.
 */
const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
const firstScreen = blocks.find((block) => block.includes('TOKEN=$('));

t.test("the README's first screen works when pasted", async (t) => {
  t.ok(blocks[0]?.includes('npm install') && blocks[0].includes('npm start'), 'the first block installs and starts');
  t.ok(firstScreen, 'a block registers, logs in and uses the token');
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
  for (let i = 0; i < 1200 && !log.includes('food shop ready'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  t.match(log, /food shop ready/, 'npm start came up');

  const script = firstScreen!.replaceAll('localhost:8080', `localhost:${port}`);
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir });
  const answers = stdout.trim().split('\n').map((line) => JSON.parse(line));
  t.match(answers[0], { user: { email: 'ann@example.com', role: 'customer' } }, 'registered');
  t.match(answers[1], { user: { email: 'ann@example.com' } }, 'the token read the account');
  t.match(answers[2], { items: Array, page: 1, limit: 5, total: Number }, 'the products');
});
