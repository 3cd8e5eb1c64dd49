import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { bare, run } from './helpers/process.js';

/**
 * Every entry point reads the one configuration schema before anything starts: a bad value of any
 * kind ends the process with one sentence and exit code 1, never a silent default (issue 18).
 */

const ENTRIES = [
  { who: 'food shop', file: 'runtime/main.ts' },
  { who: 'connector', file: 'runtime/connector-main.ts' },
  { who: 'function register', file: 'templates/shop-node26/entry.ts' },
  { who: 'create-admin', file: 'scripts/create-admin.ts', args: ['boss@example.com'] },
];

/** A bad value of each kind, and the sentence that refuses it. */
const BAD: [string, string, string][] = [
  ['LOGIN_WINDOW_SECONDS', 'ten', 'LOGIN_WINDOW_SECONDS=ten is not a whole number of seconds of 1 or more'],
  ['SHUTDOWN_TIMEOUT', 'soon', 'SHUTDOWN_TIMEOUT=soon is not a duration such as 30s, 15m or 500ms (above 0)'],
  ['REDIS_URL', 'http://cache:6379', 'REDIS_URL must start with redis:// or rediss://'],
  ['LOG_LEVEL', 'loud', 'LOG_LEVEL=loud is not one of fatal, error, warn, info, debug, trace, silent'],
  ['CONNECTOR', 'maybe', 'CONNECTOR=maybe is not on or off'],
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const { who, file, args = [] } of ENTRIES) {
  t.test(`${file}: a bad value of any kind, from the environment or a secret file, is refused in one sentence`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-config-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'amqp-url'), 'kafka://user:hunter2@broker\n');
    const env = {
      ...bare(),
      DATA_DIR: join(dir, 'data'),
      SECRETS_DIR: dir,
      FUNCTION_NAME: 'register',
      FUNCTION_MODULE: 'functions/register/index.ts',
      ...Object.fromEntries(BAD.map(([name, value]) => [name, value])),
    };
    const started = run([process.execPath, '--import', 'tsx', file, ...args], env);
    t.equal(await started.exited, 1, 'exit code 1');
    const lines = started.output().trim().split('\n');
    t.equal(lines.length, 1, `one line, no stack trace:\n${started.output()}`);
    t.match(lines[0], new RegExp(`^${escape(who)} cannot start: .*\\.$`));
    for (const [, , sentence] of BAD) t.ok(lines[0].includes(sentence), sentence);
    t.match(lines[0], `AMQP_URL must start with amqp:// or amqps:// (read from the secret file ${join(dir, 'amqp-url')})`, 'a secret file');
    t.notMatch(lines[0], /hunter2/, "a secret's value is never shown");
    t.notMatch(started.output(), /PGlite|initialising|ready/, 'before anything started');
  });
}

t.test('a name one typo away from a setting is warned about', async (t) => {
  // The connector without its services stops at once, after reading its settings.
  const started = run([process.execPath, '--import', 'tsx', 'runtime/connector-main.ts'], { ...bare(), SECRETS_DIR: '/nonexistent', EVENT_PREFECH: '8' });
  t.equal(await started.exited, 1);
  t.match(started.output(), 'connector: EVENT_PREFECH is not a setting of the shop; did you mean EVENT_PREFETCH?');
  t.match(started.output(), /connector: set DATABASE_URL, AMQP_URL, INTERNAL_TOKEN/);
});
