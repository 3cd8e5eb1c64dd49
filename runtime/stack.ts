import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROUTE_ANNOTATION = 'com.shop.route';

export interface Route {
  method: string;
  /** Public path in fastify form, such as `/api/users/:id`. */
  path: string;
}

export interface FunctionSpec {
  name: string;
  lang: string;
  handler: string;
  image: string;
  environment: Record<string, string>;
  secrets: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  route?: Route;
  /** Event types it reacts to (the connector's `topic` annotation). */
  topics: string[];
  /** Its cron schedule (annotations `topic: cron-function` and `schedule`, as OpenFaaS's cron-connector reads them). */
  schedule?: string;
}

export interface Stack {
  provider: { name: string; gateway?: string };
  functions: FunctionSpec[];
}

/** The `topic` of a scheduled function: the cron-connector's, never an event type. */
export const CRON_TOPIC = 'cron-function';

/** `order.placed, order.paid` → ['order.placed', 'order.paid']: the `topic` annotation, as OpenFaaS connectors read it. */
export const topicsOf = (annotation: string | undefined) =>
  (annotation ?? '').split(',').map((topic) => topic.trim()).filter((topic) => topic && topic !== CRON_TOPIC);

/** The schedule of a function the cron-connector would call: both annotations, or none. */
export const scheduleOf = (annotations: Record<string, string> = {}) =>
  (annotations.topic ?? '').split(',').some((topic) => topic.trim() === CRON_TOPIC) && annotations.schedule?.trim()
    ? annotations.schedule.trim()
    : undefined;

export function parseRoute(text: string): Route {
  const [method, path, ...rest] = text.trim().split(/\s+/);
  if (!method || !path || rest.length) throw new Error(`bad route "${text}": expected "METHOD /path"`);
  return { method: method.toUpperCase(), path };
}

/** stack.yml, the one registry of functions, with `${VAR:-default}` expanded as faas-cli does. */
export function loadStack(file = 'stack.yml', env: Record<string, string | undefined> = process.env): Stack {
  const text = readFileSync(file, 'utf8').replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] ?? fallback ?? '');
  const doc = parse(text, { merge: true }) as {
    provider: Stack['provider'];
    functions: Record<string, Partial<FunctionSpec> & { secrets?: string[]; environment?: Record<string, unknown> }>;
  };
  const functions = Object.entries(doc.functions ?? {}).map(([name, f]) => {
    const annotations = Object.fromEntries(Object.entries(f.annotations ?? {}).map(([k, v]) => [k, String(v)]));
    return {
      name,
      lang: f.lang ?? '',
      handler: resolve(dirname(file), f.handler ?? ''),
      image: f.image ?? '',
      environment: Object.fromEntries(Object.entries(f.environment ?? {}).map(([k, v]) => [k, String(v)])),
      secrets: f.secrets ?? [],
      labels: Object.fromEntries(Object.entries(f.labels ?? {}).map(([k, v]) => [k, String(v)])),
      annotations,
      route: annotations[ROUTE_ANNOTATION] ? parseRoute(annotations[ROUTE_ANNOTATION]) : undefined,
      topics: topicsOf(annotations.topic),
      schedule: scheduleOf(annotations),
    };
  });
  return { provider: doc.provider, functions };
}
