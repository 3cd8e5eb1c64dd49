import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, Delivery, MessageBus, Verdict } from '#domain/bus.js';
import { post, type Answer } from './http-client.js';
import { parseDuration } from '#platform/config.js';
import { scheduleOf, topicsOf } from './stack.js';

/** A function and the event types it reacts to (its `topic` annotation). */
export interface TopicFunction {
  name: string;
  topics: string[];
  /** Its cron schedule, for a scheduled function (runtime/scheduler.ts calls those). */
  schedule?: string;
}

/** A function as a gateway lists it: its topics, its schedule, and how long it may run. */
export type GatewayFunction = TopicFunction & { timeoutMs: number };

export interface ConnectorOptions {
  bus: MessageBus;
  log: FastifyBaseLogger;
  /** The OpenFaaS gateway (or the local runtime) whose `/function/<name>` is called. */
  gatewayUrl: string;
  /** Sent as X-Internal-Token: event-driven functions answer nobody else. */
  internalToken: string;
  /** Deliveries in flight per function. */
  prefetch: number;
  callTimeoutMs: number;
  /** Where the topic → function map comes from: stack.yml, or a gateway's /system/functions. */
  functions(): Promise<TopicFunction[]>;
  /** Milliseconds between re-reads of the map; 0 reads it once. */
  refreshMs?: number;
  /** Told each delivery's verdict (the metrics count them). */
  onOutcome?(name: string, verdict: Verdict, attempt: number): void;
}

export interface Connector {
  /** The functions it consumes for now. */
  functions(): TopicFunction[];
  /** Stops taking deliveries and waits for the calls in flight. */
  stop(): Promise<void>;
}

const LISTING_MS = 5000;

const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** 400 (a malformed event) and 422 (a business refusal) can never succeed, whoever answers. */
const refusedForGood = (status: number) => status === 400 || status === 422;

/**
 * Whether a 404 is the function's own (no such order or product: final) rather than the
 * gateway's (no such function, or not deployed yet: worth retrying). A function answers in the
 * shop's error shape with code NOT_FOUND; OpenFaaS's gateway answers plain text. The local
 * runtime's gateway uses the shop's shape too, so the function must also still be listed.
 */
function notFoundShape(answer: Answer) {
  if (!answer.contentType?.includes('json')) return false;
  try {
    return (JSON.parse(answer.body.toString()) as { error?: { code?: unknown } }).error?.code === 'NOT_FOUND';
  } catch {
    return false;
  }
}

/** The event envelope (domain/events.ts), or why not: a malformed message is dead at once, never retried. */
function readEnvelope(body: string): { id: string; type: string; callId?: string } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'malformed message: not JSON';
  }
  const { id, type, callId } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof id !== 'string' || !id || typeof type !== 'string' || !type) return 'malformed message: no id or type';
  return { id, type, ...(typeof callId === 'string' ? { callId } : {}) };
}

/**
 * The event connector: one durable queue per function, bound to the event types of its `topic`
 * annotation; each event is POSTed to `/function/<name>` through the gateway, with the envelope
 * as the body and X-Topic, X-Event-Id, X-Call-Id and X-Internal-Token. A 2xx settles it; what
 * can never succeed (400, 422, the function's own 404) goes to the dead letters at once;
 * anything else (401/403 while the internal token rotates, the gateway's 404 while a function
 * is deployed, 5xx, no answer in time) is retried after the bus's growing delays, then dead-lettered.
 */
export async function startConnector(options: ConnectorOptions): Promise<Connector> {
  const { bus, log, gatewayUrl, internalToken, prefetch, callTimeoutMs, refreshMs = 0 } = options;
  const consumers = new Map<string, { topics: string[]; consumer: Consumer }>();
  let stopped = false;

  // A burst of 404s asks the gateway once: the answer is kept a few seconds.
  let listing: { at: number; names: Promise<Set<string>> } | undefined;
  const listed = async (name: string) => {
    if (!listing || performance.now() - listing.at > LISTING_MS) {
      listing = { at: performance.now(), names: options.functions().then((list) => new Set(list.map((f) => f.name))) };
    }
    return (await listing.names.catch(() => new Set<string>())).has(name);
  };
  const final = async (name: string, answer: Answer) =>
    refusedForGood(answer.status) || (answer.status === 404 && notFoundShape(answer) && (await listed(name)));

  async function call(name: string, delivery: Delivery): Promise<Verdict> {
    const envelope = readEnvelope(delivery.body);
    if (typeof envelope === 'string') return { outcome: 'dead', reason: envelope };
    const started = performance.now();
    const callId = envelope.callId ?? envelope.id;
    let verdict: Verdict;
    try {
      const answer = await post(
        `${gatewayUrl}/function/${name}`,
        {
          'content-type': 'application/json',
          'x-topic': envelope.type,
          'x-event-id': envelope.id,
          'x-call-id': callId,
          'x-internal-token': internalToken,
        },
        delivery.body,
        callTimeoutMs,
      );
      const { status, body } = answer;
      verdict =
        status >= 200 && status < 300
          ? { outcome: 'done' }
          : { outcome: (await final(name, answer)) ? 'dead' : 'retry', status, reason: excerpt(body.toString()) || `HTTP ${status}` };
    } catch (error) {
      verdict = { outcome: 'retry', reason: (error as Error).message };
    }
    const fields = {
      function: name,
      eventType: envelope.type,
      eventId: envelope.id,
      callId,
      attempt: delivery.attempt,
      durationMs: Math.round(performance.now() - started),
      outcome: verdict.outcome,
      ...(verdict.outcome !== 'done' ? { status: verdict.status, reason: verdict.reason } : {}),
    };
    // A delivered event is a debug line, as a function's answered request is: a line per event
    // at info would be a write per event. What did not go through is always said.
    options.onOutcome?.(name, verdict, delivery.attempt);
    if (verdict.outcome === 'done') log.debug(fields, 'event delivered');
    else log.warn(fields, verdict.outcome === 'dead' ? 'event refused: dead-lettered' : 'event delivery failed: will retry');
    return verdict;
  }

  /**
   * Queues the broker keeps for functions the map no longer has: still bound to their topics,
   * they fill up to their length limit, then dead-letter their oldest events. Said at every
   * read of the map until someone drains them (a function may also be missing only while it is
   * deployed, so nothing is deleted here).
   */
  async function warnRetired(wanted: TopicFunction[]) {
    if (!bus.known) return;
    const live = new Set(wanted.map((f) => f.name));
    for (const name of (await bus.known()).filter((queue) => !live.has(queue))) {
      const held = await bus.stats(name).catch(() => undefined);
      log.warn(
        { function: name, ready: held?.ready, dead: held?.dead },
        `connector: the queue of ${name}, a function that no longer exists, still receives its events; ` +
          `\`npm run dead-letters -- drain ${name}\` deletes it`,
      );
    }
  }

  const same = (a: string[], b: string[]) => a.length === b.length && a.every((topic) => b.includes(topic));

  /** Consumes what the map names now: new functions start, changed ones are bound anew, gone ones stop. */
  async function sync() {
    const wanted = (await options.functions()).filter((f) => f.topics.length);
    for (const { name, topics } of wanted) {
      const current = consumers.get(name);
      if (current && same(current.topics, topics)) continue;
      if (current) await current.consumer.stop();
      if (stopped) return;
      const consumer = await bus.consume({ name, topics, prefetch }, (delivery) => call(name, delivery));
      consumers.set(name, { topics, consumer });
      log.info({ function: name, topics }, current ? 'connector: topics changed' : 'connector: consuming');
    }
    for (const [name, { consumer }] of consumers) {
      if (wanted.some((f) => f.name === name)) continue;
      await consumer.stop();
      consumers.delete(name);
      log.info({ function: name }, 'connector: function gone; its queue is kept with what it holds');
    }
    await warnRetired(wanted).catch((error: Error) => log.warn({ reason: error.message }, 'connector: could not list the queues on the broker'));
  }

  await sync();
  let syncing: Promise<void> | undefined;
  const refresh = refreshMs
    ? setInterval(() => {
        syncing ??= sync()
          .catch((error) => log.warn({ err: error }, 'connector: could not read the functions; keeping the last map'))
          .finally(() => (syncing = undefined));
      }, refreshMs)
    : undefined;

  return {
    functions: () => [...consumers].map(([name, { topics }]) => ({ name, topics })),
    async stop() {
      stopped = true;
      clearInterval(refresh);
      await syncing;
      await Promise.all([...consumers.values()].map(({ consumer }) => consumer.stop()));
      consumers.clear();
    },
  };
}

/** The map from a gateway's `GET /system/functions` (OpenFaaS or the local runtime), with basic auth. */
export function functionsFromGateway(gatewayUrl: string, credentials?: { user: string; password: string }) {
  return async (): Promise<GatewayFunction[]> => {
    const headers: Record<string, string> = credentials
      ? { authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` }
      : {};
    const response = await fetch(`${gatewayUrl}/system/functions`, { headers, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`GET /system/functions answered ${response.status}`);
    const list = (await response.json()) as { name: string; annotations?: Record<string, string>; envVars?: Record<string, string> }[];
    return list.map(({ name, annotations, envVars }) => ({
      name,
      topics: topicsOf(annotations?.topic),
      schedule: scheduleOf(annotations),
      timeoutMs: parseDuration(envVars?.exec_timeout, 10) * 1000,
    }));
  };
}
