import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainEvent } from '#domain/ports.js';
import { loadConfig } from '#platform/config.js';
import { createGateway, type Gateway } from '../../runtime/gateway.js';
import { loadStack } from '../../runtime/stack.js';
import { eventProblem } from './events.js';
import { checkAgainstReference } from './openapi.js';
import { deleteTopology } from './rabbitmq.js';
import type { Target } from './targets.js';

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is, without JSON encoding. */
  raw?: string;
  /** Sent as multipart/form-data. */
  form?: FormData;
  token?: string;
  headers?: Record<string, string>;
  /** false: the server is not the shop (an echo server behind Nginx), so the API reference does not apply. */
  reference?: boolean;
}

export interface Shop {
  url: string;
  gateway: Gateway;
  admin: { email: string; password: string };
  /** The environment the runtime was configured from. */
  env: Record<string, string | undefined>;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** Stops the runtime and starts a new one on the same storage, broker queues and port choice. */
  restart(extraEnv?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | FormData | undefined = options.form ?? options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (options.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(base + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (options.reference !== false) await checkAgainstReference(method, path, response.status, parsed, response.headers.get('content-type'));
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** The runtime on a free port, configured for one target, as `npm start` would run it. */
export async function startShop(target: Target, extraEnv: Record<string, string> = {}, isolated = false): Promise<Shop> {
  const { env, cleanup } = await target.env();
  let fullEnv: Record<string, string | undefined> = { ...process.env, ...env, ...extraEnv };
  const open = async () => {
    const config = loadConfig(fullEnv);
    const stack = loadStack(fullEnv.STACK_FILE ?? 'stack.yml');
    const gateway = await createGateway({ stack, config, isolated, env: fullEnv });
    return { gateway, stack, config, url: await gateway.listen({ port: 0, host: '127.0.0.1' }) };
  };
  let current = await open();
  const shop: Shop = {
    url: current.url,
    gateway: current.gateway,
    admin: { email: fullEnv.ADMIN_EMAIL!, password: fullEnv.ADMIN_PASSWORD! },
    env: fullEnv,
    call: (method, path, options) => call(shop.url, method, path, options),
    async restart(more = {}) {
      await current.gateway.app.close();
      fullEnv = { ...fullEnv, ...more };
      current = await open();
      Object.assign(shop, { url: current.url, gateway: current.gateway, env: fullEnv });
    },
    async close() {
      await current.gateway.app.close();
      const { amqpUrl, prefix, retryDelays } = current.config.events;
      if (amqpUrl) {
        const queues = [...current.stack.functions.filter((f) => f.topics.length).map((f) => f.name), 'async-calls', CAPTURE_QUEUE];
        await deleteTopology(amqpUrl, prefix, queues, retryDelays);
      }
      await cleanup();
    },
  };
  return shop;
}

/** The queue captureEvents reads from. */
export const CAPTURE_QUEUE = 'test-capture';

/**
 * Every event the shop publishes from now on, as the connector would receive it. Each is checked
 * against the event catalog: `find` fails once one did not fit (`problems` says why).
 */
export async function captureEvents(shop: Shop, topics = ['#']) {
  const events: DomainEvent[] = [];
  const problems: string[] = [];
  const consumer = await shop.gateway.bus.consume({ name: CAPTURE_QUEUE, topics, prefetch: 50 }, async (delivery) => {
    const event = JSON.parse(delivery.body) as DomainEvent;
    events.push(event);
    const problem = eventProblem(event);
    if (problem) problems.push(problem);
    return { outcome: 'done' };
  });
  return {
    events,
    problems,
    /** Waits (generously: the machine may be busy) until an event matches. */
    async find(test: (event: DomainEvent) => boolean, seconds = 30) {
      for (let i = 0; i < seconds * 20; i++) {
        if (problems.length) throw new Error(`events that do not fit the catalog were published: ${problems.join('; ')}`);
        const found = events.find(test);
        if (found) return found;
        await sleep(50);
      }
      throw new Error(`no such event was published in time; published: ${events.map((e) => e.type).join(', ') || 'none'}`);
    },
    stop: () => consumer.stop(),
  };
}

/** Polls until `check` answers something truthy (generously: the machine may be busy). */
export async function eventually<T>(check: () => Promise<T>, seconds = 30): Promise<T> {
  let last: T = await check();
  for (let i = 0; i < seconds * 20 && !last; i++) {
    await sleep(50);
    last = await check();
  }
  return last;
}

let counter = 0;
export const uniqueEmail = (name = 'user') => `${name}.${process.pid}.${Date.now()}.${++counter}@example.com`;

/** Registers and logs in a new customer; answers their tokens. */
export async function newCustomer(shop: Shop, name = 'Ann') {
  const email = uniqueEmail(name.toLowerCase());
  const password = 'correct horse 1';
  const registered = await shop.call('POST', '/api/auth/register', { body: { email, password, name } });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.text}`);
  const login = await shop.call('POST', '/api/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.text}`);
  return { email, password, id: registered.body.user.id as string, ...(login.body as { accessToken: string; refreshToken: string }) };
}

export async function adminToken(shop: Shop) {
  const login = await shop.call('POST', '/api/auth/login', { body: shop.admin });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.text}`);
  return login.body.accessToken as string;
}
