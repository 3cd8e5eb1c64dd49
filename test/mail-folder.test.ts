import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import t from 'tap';
import { eventually, startShop, uniqueEmail } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

const run = promisify(execFile);

t.test('embedded defaults: mail goes to .eml files in DATA_DIR/mail, and npm run mail shows them', async (t) => {
  const shop = await startShop(targets[0], { PUBLIC_URL: 'https://shop.test' });
  t.teardown(() => shop.close());
  t.match(shop.gateway.deps!.adapters.mail, /^files in .*mail \(embedded, not for production\)$/, 'the start-up log names the adapter');
  const dir = join(shop.env.DATA_DIR!, 'mail');
  const email = uniqueEmail('folder');
  t.equal((await shop.call('POST', '/api/auth/register', { body: { email, password: 'correct horse 1', name: '<i>Ida</i>' } })).status, 201);

  const file = await eventually(async () => {
    for (const name of (() => { try { return readdirSync(dir); } catch { return []; } })()) {
      const mail = await simpleParser(readFileSync(join(dir, name)));
      if (mail.text?.includes(email) || (mail.to && JSON.stringify(mail.to).includes(email))) return { name, mail };
    }
    return null;
  });
  t.ok(file, 'a file for the welcome mail');
  t.match(file!.name, /\.eml$/);
  t.match(file!.mail.subject, /^Welcome, please confirm your email/);
  t.match(file!.mail.text, /https:\/\/shop\.test\/verify-email\?token=[\w-]{43}/, 'the verification link');
  t.match(file!.mail.html || '', /&lt;i&gt;Ida&lt;\/i&gt;/, 'the name escaped');

  const env = { ...process.env, DATA_DIR: shop.env.DATA_DIR };
  const list = await run(process.execPath, ['--import', 'tsx', 'scripts/mail.ts'], { env });
  t.match(list.stdout, email, 'npm run mail lists it');
  t.match(list.stdout, file!.name);
  const one = await run(process.execPath, ['--import', 'tsx', 'scripts/mail.ts', file!.name], { env });
  t.match(one.stdout, `To:      ${email}`);
  t.match(one.stdout, /verify-email\?token=/, 'and prints it');
});
