import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Mailer } from '#domain/mail/mail.js';

/**
 * Mail written to a folder instead of sent (embedded defaults): each message one `.eml` file,
 * built by nodemailer as it would send it, named by time so the newest sort last; `log` gets one
 * line per message. `npm run mail` lists and prints them.
 */
export function mailFolder(dir: string, from: string, log: (line: { to: string; subject: string; file: string }) => void): Mailer {
  const build = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let counter = 0;
  return {
    async send(message) {
      const info = await build.sendMail({ from, ...message });
      await mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '-');
      const file = join(dir, `${stamp}-${process.pid}-${++counter}.eml`);
      await writeFile(file, info.message as Buffer);
      log({ to: message.to, subject: message.subject, file });
      return { outcome: 'sent' };
    },
    async close() {},
  };
}
