/**
 * Dead letters: the events (and async calls) a function refused or kept failing on.
 *
 *   npm run dead-letters                              lists them
 *   npm run dead-letters -- replay <event id>         puts one back on its queue
 *   npm run dead-letters -- replay --function <name>  every dead letter of one function
 *   npm run dead-letters -- replay --all              all of them
 *
 * With AMQP_URL set it reads RabbitMQ directly (the queues of stack.yml's event-driven functions,
 * under EVENTS_PREFIX), so it works in production without the runtime. Without it, the dead
 * letters live in the memory of the running `npm start`, which it asks at SHOP_URL
 * (default http://localhost:$PORT).
 */
import { pino } from 'pino';
import type { DeadLetter } from '#domain/bus.js';
import { loadConfig } from '#platform/config.js';
import { openBus } from '#platform/connections.js';
import { asyncQueue } from '../runtime/async-worker.js';
import { loadStack } from '../runtime/stack.js';

interface DeadLetters {
  list(name?: string): Promise<DeadLetter[]>;
  replay(name?: string, id?: string): Promise<number>;
  close(): Promise<void>;
}

const env = process.env;
const config = loadConfig(env);

async function fromRabbitmq(): Promise<DeadLetters> {
  const stack = loadStack(env.STACK_FILE ?? 'stack.yml');
  const queues = [...stack.functions.filter((f) => f.topics.length).map((f) => f.name), asyncQueue(config.events).name];
  const pick = (name?: string) => {
    if (name && !queues.includes(name)) throw new Error(`No queue for ${name}; known: ${queues.join(', ')}`);
    return name ? [name] : queues;
  };
  const { bus } = await openBus(config, pino({ level: 'warn' }));
  return {
    list: (name) => bus.deadLetters(pick(name)),
    replay: (name, id) => bus.replay(pick(name), id),
    close: () => bus.close(),
  };
}

function fromRuntime(base: string): DeadLetters {
  const ask = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${base}${path}`, init).catch((error: Error) => {
      throw new Error(`The shop does not answer at ${base} (${error.message}); is npm start running? Set SHOP_URL, or AMQP_URL.`);
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
    return body;
  };
  return {
    list: (name) => ask(`/system/dead-letters${name ? `?function=${encodeURIComponent(name)}` : ''}`),
    replay: async (name, id) =>
      (
        await ask('/system/dead-letters/replay', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ function: name, id }),
        })
      ).replayed,
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
const letters = config.events.amqpUrl ? await fromRabbitmq() : fromRuntime(env.SHOP_URL ?? `http://localhost:${config.port}`);
try {
  if (!command || command === 'list') {
    console.log(table(await letters.list(option('--function'))));
  } else if (command === 'replay') {
    const id = rest[0] && !rest[0].startsWith('--') ? rest[0] : undefined;
    const name = option('--function');
    if (!id && !name && !rest.includes('--all')) throw new Error('replay what? an event id, --function <name>, or --all');
    console.log(`Replayed ${await letters.replay(name, id)} dead letter(s).`);
  } else {
    throw new Error(`Unknown command "${command}": list, or replay <id> | --function <name> | --all`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await letters.close();
}
