import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { call } from './helpers/shop.js';

/** What the runtime writes per request: nothing at info unless slow, one line at debug, always the call id. */
async function runtime(t: Test, level: string) {
  const dir = mkdtempSync(join(tmpdir(), 'shop-logs-'));
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/main.ts'], {
    env: { PATH: process.env.PATH!, HOME: dir, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: level, STACK_FILE: 'test/fixtures/events/stack.yml' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  t.teardown(() => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 1200 && !output.includes('food shop ready'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const lines = () =>
    output
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { base: `http://127.0.0.1:${port}`, lines };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

t.test('at info (the default): no line per request, a line for a slow one, with its call id', async (t) => {
  const { base, lines } = await runtime(t, 'info');
  const before = lines().length;
  for (let i = 0; i < 10; i++) await call(base, 'GET', '/function/sleepy', { headers: { 'x-call-id': `quick-${i}` } });
  await settle();
  t.same(lines().slice(before).filter((l) => String(l.callId).startsWith('quick-')), [], 'quick requests write nothing');
  await call(base, 'GET', '/function/sleepy?ms=1100', { headers: { 'x-call-id': 'slow-1' } });
  await settle();
  t.match(lines().find((l) => l.callId === 'slow-1'), { level: 30, msg: 'slow request', method: 'GET', url: '/function/sleepy?ms=1100', statusCode: 200, ms: Number });
});

t.test('at debug: one line per request, with call id, method, url, status and time', async (t) => {
  const { base, lines } = await runtime(t, 'debug');
  await call(base, 'GET', '/function/sleepy', { headers: { 'x-call-id': 'dbg-1' } });
  await call(base, 'GET', '/function/nothing-here', { headers: { 'x-call-id': 'dbg-2' } });
  await settle();
  t.match(lines().filter((l) => l.callId === 'dbg-1'), [{ level: 20, msg: 'request', method: 'GET', url: '/function/sleepy', statusCode: 200, ms: Number }]);
  t.match(lines().filter((l) => l.callId === 'dbg-2'), [{ msg: 'request', statusCode: 404 }]);
});
