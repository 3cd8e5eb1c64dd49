/**
 * The mail folder of embedded defaults (DATA_DIR/mail, no SMTP_URL): what the shop would have sent.
 *   npm run mail              the latest 20: time, recipient, subject, file
 *   npm run mail -- 50        the latest 50
 *   npm run mail -- <file>    one message: its headers and text part (a name from the list, or `latest`)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfig } from '#platform/config.js';

const dir = join(loadConfig().dataDir, 'mail');
const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.eml')).sort() : [];
const arg = process.argv[2];
const addresses = (value: unknown) => (value as { text?: string } | undefined)?.text ?? '';

if (!files.length) {
  console.log(`No mail in ${dir} yet (with SMTP_URL set, mail goes to the SMTP server instead).`);
} else if (arg && !/^\d+$/.test(arg)) {
  const name = arg === 'latest' ? files.at(-1)! : basename(arg);
  if (!files.includes(name)) {
    console.error(`No message ${name} in ${dir}; \`npm run mail\` lists them.`);
    process.exit(1);
  }
  const mail = await simpleParser(readFileSync(join(dir, name)));
  console.log(`File:    ${join(dir, name)}`);
  console.log(`Date:    ${mail.date?.toISOString() ?? ''}`);
  console.log(`From:    ${addresses(mail.from)}`);
  console.log(`To:      ${addresses(mail.to)}`);
  console.log(`Subject: ${mail.subject ?? ''}`);
  console.log(`\n${mail.text ?? ''}`);
} else {
  const latest = files.slice(-Number(arg ?? 20));
  for (const name of latest) {
    const mail = await simpleParser(readFileSync(join(dir, name)));
    console.log([mail.date?.toISOString() ?? '', addresses(mail.to), mail.subject ?? '', name].join('  '));
  }
  console.log(`\n${latest.length} of ${files.length} in ${dir}; \`npm run mail -- <file>\` prints one.`);
}
