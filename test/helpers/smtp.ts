import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './shop.js';

/**
 * A real SMTP server (nodemailer's smtp-server) on a free port, keeping what it receives.
 * `mode` makes it fail as real servers do: `down` refuses every connection (421), `busy`
 * answers the message with 451, `broken` with 554; a recipient named in `refuse` gets 550.
 */
export async function startSmtp() {
  const received: ParsedMail[] = [];
  const refuse = new Set<string>();
  const rcptAttempts = new Map<string, number>();
  let connections = 0;
  let mode: 'up' | 'down' | 'busy' | 'broken' = 'up';
  const failure = (message: string, code: number) => Object.assign(new Error(message), { responseCode: code });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback(mode === 'down' ? failure('Service not available', 421) : undefined);
    },
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      rcptAttempts.set(to, (rcptAttempts.get(to) ?? 0) + 1);
      callback(refuse.has(to) ? failure('No such user here', 550) : undefined);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (mode === 'busy') return callback(failure('Try again later', 451));
        if (mode === 'broken') return callback(failure('Transaction failed', 554));
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse,
    rcptAttempts,
    /** Connections made so far, refused ones too. */
    connections: () => connections,
    setMode(next: typeof mode) {
      mode = next;
    },
    /** Every mail received for this address. */
    to: (address: string) => received.filter((mail) => to(mail).includes(address.toLowerCase())),
    /** Waits (generously) for a mail to this address whose subject matches. */
    async find(address: string, subject: RegExp, seconds = 60) {
      const found = await eventually(async () => received.find((mail) => to(mail).includes(address.toLowerCase()) && subject.test(mail.subject ?? '')), seconds);
      if (!found) throw new Error(`no mail "${subject}" to ${address}; received: ${received.map((m) => `${m.subject} → ${to(m).join(',')}`).join('; ') || 'none'}`);
      return found;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** The token of the first link to `path` in a mail's text part. */
export function linkToken(mail: ParsedMail, path: string) {
  const match = new RegExp(`https://shop\\.test${path}\\?token=([\\w-]+)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1];
}
