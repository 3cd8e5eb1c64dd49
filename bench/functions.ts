/**
 * Every function of stack.yml in its image's layout, one at a time: bundled and started as its
 * image starts it, then called for a few seconds, then its RSS. The sum is what the stack costs
 * with one replica of each. The calls are each function's own method on `/` with a customer's
 * token: the customer's reads answer 200, the rest refuse after authentication and validation
 * (403 admins only or internal, 400 an empty body, 404 no such id); the answer statuses are reported.
 */
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { FunctionDefinition } from '../platform/define-function.js';
import type { FunctionSpec } from '../runtime/stack.js';
import { ownMb, rssMb, type Child } from './processes.js';

export interface FunctionMemory {
  name: string;
  /** RSS right after the start, and after the calls (MB). */
  startMb: number;
  rssMb: number;
  /** Of rssMb, the process's own memory (RssAnon): the rest is the node binary's pages, shared. */
  ownMb: number;
  /** `200×1234 401×5`, what the calls were answered. */
  statuses: string;
}

interface Options {
  functions: FunctionSpec[];
  /** The function's shipped layout (scripts/build-function.ts). */
  build(spec: FunctionSpec): Promise<string>;
  start(name: string, ship: string): Promise<{ child: Child; url: string }>;
  token: string;
  seconds: number;
  connections: number;
  progress(message: string): void;
}

async function call(url: string, method: string, seconds: number, connections: number, token: string) {
  const statuses = new Map<number, number>();
  const body = method === 'GET' ? undefined : '{}';
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) };
  const run = autocannon({ url, method, body, headers, connections, duration: seconds });
  run.on('response', (_client: unknown, status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1));
  await run;
  return [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
}

export async function benchFunctionMemory(options: Options): Promise<FunctionMemory[]> {
  const results: FunctionMemory[] = [];
  for (const spec of options.functions) {
    options.progress(`bench: ${spec.name}, bundled, in its image's layout (${results.length + 1}/${options.functions.length})`);
    const fn = (await import(join(spec.handler, 'index.ts'))).default as FunctionDefinition;
    const ship = await options.build(spec);
    const { child, url } = await options.start(spec.name, ship);
    try {
      const startMb = rssMb(child.pid);
      const statuses = await call(url, fn.method, options.seconds, options.connections, options.token);
      results.push({ name: spec.name, startMb, rssMb: rssMb(child.pid), ownMb: ownMb(child.pid), statuses });
    } finally {
      await child.stop();
    }
  }
  return results;
}
