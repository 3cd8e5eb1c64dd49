/**
 * Dead letters: the events (and async calls) a function refused or kept failing on.
 *
 *   npm run dead-letters                              lists them
 *   npm run dead-letters -- replay <event id>         puts one back on its queue
 *   npm run dead-letters -- replay --function <name>  every dead letter of one function
 *   npm run dead-letters -- replay --all              all of them
 *   npm run dead-letters -- drain                     lists the queues of functions that no longer exist
 *   npm run dead-letters -- drain <function> [--yes]  says what one holds; with --yes deletes it
 *
 * With AMQP_URL set it reads RabbitMQ directly (the queues of stack.yml's event-driven functions,
 * under EVENTS_PREFIX), so it works in production without the runtime. Without it, the dead
 * letters live in the memory of the running `npm start`, which it asks at SHOP_URL
 * (default http://localhost:$PORT).
 */
import { pino } from 'pino';
import type { DeadLetter } from '#domain/bus.js';
import { configOrExit } from '#platform/config.js';
import { openBus } from '#platform/connections.js';
import { asyncQueue } from '../runtime/async-worker.js';
import { loadStack } from '../runtime/stack.js';

interface DeadLetters {
  list(name?: string): Promise<DeadLetter[]>;
  replay(name?: string, id?: string): Promise<number>;
  drain(name: string | undefined, confirmed: boolean): Promise<string>;
  close(): Promise<void>;
}

const config = configOrExit('dead-letters');

async function fromRabbitmq(): Promise<DeadLetters> {
  const stack = loadStack(config.stackFile);
  const queues = [...stack.functions.filter((f) => f.topics.length).map((f) => f.name), asyncQueue(config.events).name];
  const pick = (name?: string) => {
    if (name && !queues.includes(name)) throw new Error(`No queue for ${name}; known: ${queues.join(', ')}`);
    return name ? [name] : queues;
  };
  const { bus } = await openBus(config, pino({ level: 'warn' }));
  /** The queues the broker keeps for functions stack.yml no longer has (or that lost their topics). */
  const retired = async () => (await bus.known!()).filter((name) => !queues.includes(name));
  return {
    list: (name) => bus.deadLetters(pick(name)),
    replay: (name, id) => bus.replay(pick(name), id),
    async drain(name, confirmed) {
      if (!name) {
        const names = await retired();
        if (!names.length) return 'No queues of functions that no longer exist.';
        const lines = await Promise.all(names.map(async (queue) => ({ queue, ...(await bus.stats(queue)) })));
        return lines.map(({ queue, ready, dead }) => `${queue}: ${ready} waiting, ${dead} dead`).join('\n');
      }
      if (queues.includes(name)) throw new Error(`${name} is a function of ${config.stackFile}: its queue is in use (replay its dead letters instead)`);
      const { ready, dead } = await bus.stats(name).catch(() => {
        throw new Error(`No queue for ${name} on the broker`);
      });
      if (!confirmed) return `The queue of ${name} holds ${ready} waiting event(s) and ${dead} dead letter(s). Run again with --yes to delete them.`;
      const removed = await bus.remove!(name);
      return `Deleted the queue of ${name}: ${removed.ready} waiting event(s) and ${removed.dead} dead letter(s).`;
    },
    close: () => bus.close(),
  };
}

function fromRuntime(base: string): DeadLetters {
  const ask = async <T>(path: string, init?: RequestInit) => {
    const response = await fetch(`${base}${path}`, init).catch((error: Error) => {
      throw new Error(`The shop does not answer at ${base} (${error.message}); is npm start running? Set SHOP_URL, or AMQP_URL.`);
    });
    const body = (await response.json()) as unknown;
    if (!response.ok) throw new Error((body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${response.status}`);
    return body as T;
  };
  return {
    list: (name) => ask<DeadLetter[]>(`/system/dead-letters${name ? `?function=${encodeURIComponent(name)}` : ''}`),
    replay: async (name, id) =>
      (
        await ask<{ replayed: number }>('/system/dead-letters/replay', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ function: name, id }),
        })
      ).replayed,
    drain: async () => 'Nothing to drain: the in-process bus forgets the queue of a removed function with the process.',
    close: async () => undefined,
  };
}

function table(letters: DeadLetter[]) {
  if (!letters.length) return 'No dead letters.';
  const rows = letters.map((l) => [l.queue, l.topic, l.id, String(l.attempts), l.status ? String(l.status) : '-', l.deadAt, l.reason.replace(/\s+/g, ' ').slice(0, 120)]);
  const head = ['function', 'event type', 'id', 'attempts', 'status', 'dead at', 'last error'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

const [command, ...rest] = process.argv.slice(2);
const option = (name: string) => {
  const at = rest.indexOf(name);
  return at < 0 ? undefined : rest[at + 1];
};
const letters = config.events.amqpUrl ? await fromRabbitmq() : fromRuntime(config.shopUrl ?? `http://localhost:${config.port}`);
try {
  if (!command || command === 'list') {
    console.log(table(await letters.list(option('--function'))));
  } else if (command === 'replay') {
    const id = rest[0] && !rest[0].startsWith('--') ? rest[0] : undefined;
    const name = option('--function');
    if (!id && !name && !rest.includes('--all')) throw new Error('replay what? an event id, --function <name>, or --all');
    console.log(`Replayed ${await letters.replay(name, id)} dead letter(s).`);
  } else if (command === 'drain') {
    const name = rest[0] && !rest[0].startsWith('--') ? rest[0] : undefined;
    console.log(await letters.drain(name, rest.includes('--yes')));
  } else {
    throw new Error(`Unknown command "${command}": list, replay <id> | --function <name> | --all, or drain [<function> [--yes]]`);
  }
} catch (error) {
  // amqplib rejects with the broker's close frame, not an Error, when a queue is missing.
  const frame = (error as { fields?: { replyText?: string } }).fields;
  console.error(error instanceof Error ? error.message : frame?.replyText ? `RabbitMQ: ${frame.replyText} (is EVENTS_PREFIX the shop's?)` : String(error));
  process.exitCode = 1;
} finally {
  await letters.close();
}
