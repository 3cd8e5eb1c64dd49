/**
 * `npm run bench`: what the platform costs next to a bare fastify server, in one run on one
 * machine: throughput and latency of a trivial function, of `GET /api/users/me` and of the
 * product listing with the catalog cache on and off, the memory of each kind of process, and a
 * function's cold start. Servers run as child processes with the settings a user runs (default
 * log level and caches); autocannon loads them from here over loopback. Functions on their own
 * run bundled, as in their image (scripts/build-function.ts). PostgreSQL + Redis are measured
 * when DATABASE_URL and REDIS_URL are set.
 *
 * The cached listing through a real nginx with the generated config is measured against the
 * runtime alone (bench/edge.ts; `npm run bench -- edge` runs it alone, `-- http` all but it,
 * events and orders). `npm run bench -- metrics` measures what counting for GET /metrics costs
 * on that listing (bench/metrics.ts).
 *
 * Events through the relay, RabbitMQ and the connector are measured against raw amqplib when
 * DATABASE_URL (postgres://) and AMQP_URL are set (bench/events.ts).
 *
 * BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (10), BENCH_EVENTS (3000),
 * BENCH_COLD_STARTS (5 per process), BENCH_NGINX_WORKERS (the edge scenario's worker_processes, `auto`),
 * BENCH_CPU_PROF (a directory: every process under test writes its CPU profile there).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../platform/config.js';
import { loadStack } from '../runtime/stack.js';
import { CATALOG_LIST_PATH, categories, checkCatalog, loadCatalog, products } from './catalog.js';
import { measure, warmUp, type LoadSettings, type Throughput } from './load.js';
import { buildFunction, shippedCommand, shippedEnv, shippedWithout } from '../scripts/build-function.js';
import { benchFunctionMemory, type FunctionMemory } from './functions.js';
import {
  childEnv,
  cpuMs,
  freePort,
  processTree,
  repoRoot,
  rssMb,
  spawnNode,
  waitForHttp,
  waitForIpcPort,
  type Child,
  type SpawnOptions,
} from './processes.js';
import { amqpUrl, freshPostgres, postgresUrl, redisUrl } from '../test/helpers/targets.js';
import { benchEvents, type EventsResult } from './events.js';
import { benchOrders, type OrdersResult } from './orders.js';
import { benchEdge, type EdgeResult } from './edge.js';
import { benchMetrics, type MetricsCost } from './metrics.js';
import { dropRedisKeys, unique } from './services.js';

const positive = (text: string | undefined, fallback: number) => {
  const n = Number(text);
  return text && Number.isFinite(n) && n > 0 ? n : fallback;
};

const settings: LoadSettings = {
  seconds: positive(process.env.BENCH_SECONDS, 5),
  warmupSeconds: positive(process.env.BENCH_WARMUP_SECONDS, 2),
  connections: Math.round(positive(process.env.BENCH_CONNECTIONS, 10)),
};


const eventCount = Math.round(positive(process.env.BENCH_EVENTS, 3000));
const coldStartRuns = Math.round(positive(process.env.BENCH_COLD_STARTS, 5));

const resultsFile = fileURLToPath(new URL('./last-run.json', import.meta.url));
const helloDir = fileURLToPath(new URL('./hello', import.meta.url));
const functionDir = (name: string) => join(repoRoot, 'functions', name);
const stackFunctions = loadStack(join(repoRoot, 'stack.yml')).functions;
const functionCount = stackFunctions.length;
/** What the runtime caches catalog answers for when CATALOG_CACHE_TTL is not set. */
const defaultCatalogTtl = loadConfig({}).catalogCacheTtl;

// ---- cleanup: every child, temp dir, schema and Redis key goes, whatever happened ----

const cleanups: Array<() => Promise<void>> = [];
const defer = (cleanup: () => Promise<void>) => cleanups.push(cleanup);

async function cleanUp() {
  // Last in, first out: processes stop before their DATA_DIR or schema disappears.
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
    await cleanup().catch((error: Error) => console.error(`cleanup failed: ${error.message}`));
  }
}

async function interrupted(signal: NodeJS.Signals) {
  console.error(`${signal}: stopping the bench`);
  await cleanUp();
  process.exit(130);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void interrupted(signal));

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'shop-bench-'));
  defer(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function start(name: string, script: string, env: Record<string, string>, options?: SpawnOptions): Child {
  const child = spawnNode(name, script, env, options);
  defer(() => child.stop());
  return child;
}

// ---- where the shop keeps its data ----

interface Target {
  name: string;
  env: Record<string, string>;
}

const admin = { email: 'admin@bench.test', password: 'bench-admin-password-1' };

// No LOG_LEVEL: the default one of npm start and of the images is what users run.
const shopEnv = () => ({
  ADMIN_EMAIL: admin.email,
  ADMIN_PASSWORD: admin.password,
  // readSecret() prefers /var/openfaas/secrets/<name>: a machine that has one must not change the run.
  SECRETS_DIR: join(tmpdir(), unique('shop-bench-no-secrets-')),
});

// No demo catalog on the first start (runtime/demo-catalog.ts): the bench loads its own, and its
// categories' slugs would be taken.
const embedded = (): Target => ({ name: 'embedded (PGlite + memory)', env: { ...shopEnv(), DATA_DIR: tempDir(), DEMO_CATALOG: 'false' } });

async function realServices(databaseUrl: string, redis: string): Promise<Target> {
  const dataDir = tempDir(); // only for the development JWT key
  const schema = await freshPostgres(databaseUrl);
  defer(schema.cleanup);
  const prefix = `${unique('bench-')}:`;
  defer(() => dropRedisKeys(redis, prefix));
  return {
    name: 'PostgreSQL + Redis',
    env: { ...shopEnv(), DATA_DIR: dataDir, DATABASE_URL: schema.url, REDIS_URL: redis, REDIS_KEY_PREFIX: prefix },
  };
}

// ---- the processes under test ----

interface Memory {
  rssMb: number;
  processes: number;
}

/** RSS of the process and of anything it started (the runtime in-process starts nothing). */
function memoryOf(child: Child): Memory {
  const pids = processTree(child.pid);
  return { rssMb: pids.reduce((sum, pid) => sum + rssMb(pid), 0), processes: pids.length };
}

type Headers = Record<string, string>;

/** Warm-up, memory, then the measured run; the process is stopped so the next scenario runs alone. */
async function exercise(child: Child, url: string, headers: Headers = {}, measured = true) {
  try {
    await warmUp(url, settings, headers);
    const memory = memoryOf(child);
    const throughput = measured ? await measure(url, settings, headers) : undefined;
    return { memory, throughput };
  } finally {
    await child.stop();
  }
}

const startBareFastify = () => start('bare fastify', 'bench/bare-fastify.js', childEnv({}), { nodeOptions: [] });

async function bareFastify() {
  const child = startBareFastify();
  const port = await waitForIpcPort(child);
  return exercise(child, `http://127.0.0.1:${port}/`);
}

/** Bare fastify answering `body` (the listing's bytes) as JSON: the fair baseline of the cached listing. */
async function bareFastifySending(body: string) {
  const file = join(tempDir(), 'body.json');
  writeFileSync(file, body);
  const child = start('bare fastify (listing)', 'bench/bare-fastify.js', childEnv({ BODY_FILE: file }), { nodeOptions: [] });
  const port = await waitForIpcPort(child);
  return exercise(child, `http://127.0.0.1:${port}/`);
}

/**
 * A function bundled as its image bundles it, with the image's set of dependencies when the
 * target has a database URL (as every function container has), else with all of them.
 */
async function buildFor(target: Target, dir: string, typeCheck = true) {
  return buildFunction(dir, tempDir(), target.env.DATABASE_URL ? shippedWithout() : [], { typeCheck });
}

/**
 * The bundled function started as its image starts it (fprocess, and the image's environment:
 * its compile cache), on the port it picks. Without ADMIN_EMAIL and ADMIN_PASSWORD: stack.yml
 * gives them to login alone (the first admin is made there at start-up).
 */
function startShipped(name: string, ship: string, env: Record<string, string>) {
  const [, ...command] = shippedCommand();
  const script = command.pop()!;
  const functionEnv = Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'ADMIN_EMAIL' && name !== 'ADMIN_PASSWORD'));
  // Port 0, as the runtime's isolated mode does: the entry picks a free port and reports it.
  const childEnvironment = childEnv({ ...functionEnv, ...shippedEnv(ship), NODE_ENV: 'production', FUNCTION_NAME: name, upstream_url: 'http://127.0.0.1:0' });
  return start(`${name} (template entry, bundled)`, script, childEnvironment, { cwd: ship, nodeOptions: command });
}

/** A bundled function behind the template entry, as of-watchdog runs it: mounted at `/`. */
async function templateEntry(name: string, ship: string, env: Record<string, string>) {
  const child = startShipped(name, ship, env);
  const port = await waitForIpcPort(child);
  // An entry that echoes its configured port instead of the one it got cannot be reached.
  if (!port) throw new Error(`${name}: the template entry reported port 0, not the port it listens on`);
  return { child, url: `http://127.0.0.1:${port}/` };
}

/**
 * Milliseconds from spawning a process to its first 200 on `/`, and the CPU time the process used
 * until then (which a busy machine changes less than the wall time).
 */
async function startToFirst200(spawnIt: () => Child) {
  const started = performance.now();
  const child = spawnIt();
  try {
    const port = await waitForIpcPort(child);
    await waitForHttp(child, `http://127.0.0.1:${port}/`, 5);
    return { ms: performance.now() - started, cpuMs: cpuMs(child.pid) };
  } finally {
    await child.stop();
  }
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/**
 * The medians of a few cold starts of each process, taken in turns (one of each, then again), so
 * that a machine busier for a while slows both sides of the ratio alike.
 */
async function coldStarts(spawners: Array<() => Child>): Promise<Array<{ ms: number; cpuMs: number }>> {
  const starts: Array<Array<{ ms: number; cpuMs: number }>> = spawners.map(() => []);
  for (let run = 0; run < coldStartRuns; run++) {
    for (const [i, spawnIt] of spawners.entries()) starts[i].push(await startToFirst200(spawnIt));
  }
  return starts.map((list) => ({ ms: median(list.map((s) => s.ms)), cpuMs: median(list.map((s) => s.cpuMs)) }));
}

async function runtime(target: Target, env: Record<string, string> = {}) {
  const port = await freePort();
  const child = start(
    `runtime (${target.name})`,
    'runtime/main.ts',
    childEnv({ ...target.env, ...env, PORT: String(port), HOST: '127.0.0.1' }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${base}/healthz`);
  return { child, base };
}

async function postJson(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined };
}

/** A new customer's access token, through the public API like any client. */
async function customerToken(base: string): Promise<string> {
  const email = `${unique('bench.')}@example.com`;
  const password = 'correct horse battery 1';
  const registered = await postJson(`${base}/api/auth/register`, { email, password, name: 'Bench' });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  const login = await postJson(`${base}/api/auth/login`, { email, password });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  return String(login.body?.accessToken);
}

async function getMeThroughRuntime(target: Target, measured = true) {
  const { child, base } = await runtime(target);
  const token = await customerToken(base);
  return { token, ...(await exercise(child, `${base}/api/users/me`, { authorization: `Bearer ${token}` }, measured)) };
}

/**
 * get-me alone in its process, on the storage (and signing key) the runtime just used, so the
 * runtime's token finds its user. Started after the runtime stopped: PGlite serves one process.
 */
async function isolatedGetMe(target: Target, token: string) {
  const { child, url } = await templateEntry('get-me', await buildFor(target, functionDir('get-me')), target.env);
  return exercise(child, url, { authorization: `Bearer ${token}` }, false);
}

/**
 * The product listing on one runtime start: CATALOG_CACHE_TTL=0 turns the catalog cache off,
 * undefined leaves the default. The first start on a target loads the catalog; a later one
 * finds it in the same storage (PGlite's DATA_DIR, the PostgreSQL schema).
 */
async function catalogThroughRuntime(target: Target, cacheTtl: '0' | undefined, load: boolean) {
  const { child, base } = await runtime(target, cacheTtl === undefined ? {} : { CATALOG_CACHE_TTL: cacheTtl });
  if (load) await loadCatalog(base, admin);
  await checkCatalog(base);
  const body = await (await fetch(`${base}${CATALOG_LIST_PATH}`)).text();
  return { body, ...(await exercise(child, `${base}${CATALOG_LIST_PATH}`)) };
}

// ---- the report ----

interface ScenarioResult extends Throughput {
  scenario: string;
  reqPerSecVsBare: number;
  p99VsBare: number;
  /** Catalog scenarios only: against the same listing with the cache off (1 for that one itself). */
  reqPerSecVsUncached?: number;
  p99VsUncached?: number;
}

interface MemoryResult extends Memory {
  process: string;
  vsBare: number;
}

interface ColdStart {
  process: string;
  /** Spawn → first 200, the median. */
  ms: number;
  vsBare: number;
  /** The process's CPU time until that 200 (user + system, 10 ms ticks), the median. */
  cpuMs: number;
  cpuVsBare: number;
}

interface EventsReport {
  raw: EventsResult;
  shop: EventsResult;
}

interface Report {
  date: string;
  node: string;
  cpu: string;
  cpus: number;
  /** 1-minute load average before the first scenario. */
  loadAverage: number;
  settings: LoadSettings;
  scenarios: ScenarioResult[];
  memory: MemoryResult[];
  coldStarts: ColdStart[];
  functions?: FunctionMemory[];
  events?: EventsReport;
  orders?: OrdersResult;
  edge?: EdgeResult;
  metrics?: MetricsCost;
  notes: string[];
}

/** Events through the relay, RabbitMQ and the connector, against raw amqplib (bench/events.ts). */
async function events(notes: string[]): Promise<EventsReport | undefined> {
  if (!postgresUrl || !amqpUrl) {
    notes.push('Events SKIPPED: set DATABASE_URL=postgres://… and AMQP_URL to measure them.');
    return undefined;
  }
  console.error('bench: events, raw amqplib, then through the shop');
  const report = await benchEvents({ amqpUrl, databaseUrl: postgresUrl, count: eventCount, samples: 300, defer });
  notes.push(
    `Events: backlog = ${eventCount} events waiting (stored before the runtime starts; published 200 unconfirmed at a time for raw), ` +
      `events/s from the first arrival to the last; live = ${eventCount} events sent by eight writers that each wait for durability ` +
      '(one PostgreSQL commit per event in the shop, a publisher confirm for raw); latencies from 300 events one at a time. ' +
      'CPU µs/event and syscalls/event: user + system CPU, and read and write system calls (/proc/<pid>/io), of the process draining the backlog ' +
      '(the runtime: relay, connector and function; for raw, the consumer) per event. ' +
      'The shop path ends when the no-op function reports to the bench over IPC, the raw one when the consumer receives.',
  );
  return report;
}

const machine = (loadAverage: number) => ({
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cpus: cpus().length,
  loadAverage,
  settings,
});

/** Orders through the whole saga (bench/orders.ts). */
async function orders(notes: string[]): Promise<OrdersResult | undefined> {
  if (!postgresUrl || !redisUrl || !amqpUrl) {
    notes.push('Orders SKIPPED: set DATABASE_URL=postgres://…, REDIS_URL and AMQP_URL to measure them.');
    return undefined;
  }
  console.error('bench: orders through the saga');
  const result = await benchOrders({ amqpUrl, databaseUrl: postgresUrl, redisUrl, samples: 200, customers: 40, seconds: settings.seconds * 2, defer });
  notes.push(
    `Orders: three scenarios on one runtime (no zone; a zone with a timetable, every order with a slot and cash on delivery; the same paying by card), ` +
      'each twice, in turns there and back (no zone, cash, card, card, cash, no zone; the zone deleted for the last), figures of both turns together, load = their mean; ' +
      `latency from POST /api/orders to the order.confirmed event (heard on the exchange), 200 orders one at a time per turn; ` +
      `sustained = ${result.customers} customers each adding to their cart, ordering and waiting for the confirmation, again and again for ${settings.seconds * 2} s, ` +
      'orders/s from the first order to the last confirmation. Card: Stripe is a local stand-in (test/helpers/stripe-stand-in.ts); once stock.reserved is heard ' +
      'the customer reads the order every 5 ms until it awaits payment, then the stand-in authorises and the bench posts the signed webhook; its latency includes these steps. ' +
      'Ratios against the no-zone scenario of the same run.',
  );
  return result;
}

/** The cached listing through nginx → runtime against the runtime alone (bench/edge.ts). */
async function edge(notes: string[], target: Target, catalogLoaded: boolean): Promise<EdgeResult | undefined> {
  console.error(`bench: ${CATALOG_LIST_PATH} through nginx and alone, ${target.name}`);
  const result = await benchEdge({ target, admin, load: settings, catalogLoaded, workers: process.env.BENCH_NGINX_WORKERS, defer });
  if (!result) {
    notes.push('Edge SKIPPED: nginx is not installed (apt-get install -y nginx).');
    return undefined;
  }
  notes.push(
    `Edge: the cached listing on ${result.target}, measured in turns (runtime alone, through nginx, alone, through nginx; ${settings.seconds} s each) on one runtime process; ` +
      `nginx runs the generated config (${result.nginxProcesses} processes, ${result.nginxRssMb.toFixed(0)} MB RSS in all) with its per-IP API limit lifted, since all the load comes from one address.`,
  );
  return result;
}

/** The cached listing on a runtime that counts for GET /metrics against one with METRICS=off (bench/metrics.ts). */
async function metrics(notes: string[]): Promise<MetricsCost> {
  console.error(`bench: ${CATALOG_LIST_PATH} with metrics and with METRICS=off, embedded`);
  const result = await benchMetrics({ targets: [embedded().env, embedded().env], admin, load: settings, defer });
  notes.push(
    `Metrics: the cached listing on two runtimes at once (embedded, each its own DATA_DIR), one counting for GET /metrics (the default) and one with METRICS=off, ` +
      `measured in turns (on, off, on, off; ${settings.seconds} s each).`,
  );
  return result;
}

async function bench(): Promise<Report> {
  const notes: string[] = [];
  const loadAverage = loadavg()[0];
  if (loadAverage > cpus().length / 2) {
    notes.push(`The machine was busy before the run (load average ${loadAverage.toFixed(1)} on ${cpus().length} CPUs): expect noisy numbers.`);
  }
  // `npm run bench -- events`: the events alone.
  if (process.argv[2] === 'events') return { ...machine(loadAverage), scenarios: [], memory: [], coldStarts: [], events: await events(notes), notes };
  if (process.argv[2] === 'orders') return { ...machine(loadAverage), scenarios: [], memory: [], coldStarts: [], orders: await orders(notes), notes };
  if (process.argv[2] === 'metrics') return { ...machine(loadAverage), scenarios: [], memory: [], coldStarts: [], metrics: await metrics(notes), notes };
  if (process.argv[2] === 'edge') {
    const target = postgresUrl && redisUrl ? await realServices(postgresUrl, redisUrl) : embedded();
    return { ...machine(loadAverage), scenarios: [], memory: [], coldStarts: [], edge: await edge(notes, target, false), notes };
  }
  const throughput: Array<{ scenario: string; result: Throughput; uncached?: Throughput }> = [];
  const memory: Array<[string, Memory]> = [];
  /** `uncached`: the catalog scenario with the cache off that this one is compared with. */
  const record = (
    names: { scenario?: string; process: string },
    result: { throughput?: Throughput; memory: Memory },
    uncached?: Throughput,
  ) => {
    if (names.scenario && result.throughput) throughput.push({ scenario: names.scenario, result: result.throughput, uncached });
    memory.push([names.process, result.memory]);
  };

  console.error('bench: bare fastify');
  record({ scenario: 'bare fastify hello-world (baseline)', process: 'bare fastify' }, await bareFastify());

  const targets = [embedded()];
  if (postgresUrl && redisUrl) targets.push(await realServices(postgresUrl, redisUrl));
  else notes.push('Runtime on PostgreSQL + Redis SKIPPED: set DATABASE_URL=postgres://… and REDIS_URL to measure it.');
  // The most production-like storage there is in this run: what a function container gets.
  const production = targets.at(-1)!;

  console.error(`bench: hello function through the template entry, bundled, ${production.name}`);
  const hello = await templateEntry('hello', await buildFor(production, helloDir), production.env);
  record(
    { scenario: 'hello function, template entry', process: `template entry + hello, bundled, ${production.name}` },
    await exercise(hello.child, hello.url),
  );

  // `npm run bench -- functions`: what a function costs alone (memory, cold start), no more.
  const functionsOnly = process.argv[2] === 'functions';
  let token = '';
  for (const target of functionsOnly ? [production] : targets) {
    console.error(`bench: GET /api/users/me through the runtime, ${target.name}`);
    const result = await getMeThroughRuntime(target, !functionsOnly);
    if (!functionsOnly) record({ scenario: `GET /api/users/me, runtime, ${target.name}`, process: `runtime in-process, ${target.name}` }, result);
    token = result.token;
  }

  console.error(`bench: get-me in its own process, bundled, ${production.name}`);
  record({ process: `isolated get-me (template entry, bundled), ${production.name}` }, await isolatedGetMe(production, token));

  // list-products answers 200 to anyone, so its first 200 needs its stores connected.
  console.error(`bench: cold starts, bare fastify and list-products bundled on ${production.name} (${coldStartRuns} each)`);
  const listProducts = await buildFor(production, functionDir('list-products'));
  const [bareStart, functionStart] = await coldStarts([startBareFastify, () => startShipped('list-products', listProducts, production.env)]);
  const coldStartRows = [
    { process: 'bare fastify', ...bareStart, vsBare: 1, cpuVsBare: 1 },
    {
      process: `list-products (template entry, bundled), ${production.name}`,
      ...functionStart,
      vsBare: functionStart.ms / bareStart.ms,
      cpuVsBare: functionStart.cpuMs / bareStart.cpuMs,
    },
  ];

  const functions = await benchFunctionMemory({
    functions: stackFunctions,
    build: (spec) => buildFor(production, spec.handler, false),
    start: (name, ship) => templateEntry(name, ship, production.env),
    token,
    seconds: settings.warmupSeconds,
    connections: settings.connections,
    progress: (message) => console.error(message),
  });
  notes.push(
    `Functions: each of the ${functionCount} functions of stack.yml bundled and started as its image starts it, on ${production.name}, alone; ` +
      `RSS at start, then after ${settings.warmupSeconds} s of calls by ${settings.connections} connections: its own method on \`/\` with a customer's token ` +
      '(an empty JSON body for the others than GET), so the customer\'s reads answer 200 and the rest refuse after authentication and validation. ' +
      'The stack is their sum: one replica of each.',
  );

  // Cache off first: that start loads the catalog. One start per setting, on the same storage.
  let listing = '';
  const cachedRows: Array<{ name: string; reqPerSec: number }> = [];
  for (const target of functionsOnly ? [] : targets) {
    const scenario = `GET ${CATALOG_LIST_PATH}, runtime, ${target.name}`;
    const processName = `runtime in-process, ${target.name}, catalog`;
    console.error(`bench: ${scenario}, loading ${products.length} products, cache off`);
    const off = await catalogThroughRuntime(target, '0', true);
    console.error(`bench: ${scenario}, cache on`);
    const on = await catalogThroughRuntime(target, undefined, false);
    // The uncached row is compared with itself: 1.00×, the reference, as bare is in its column.
    record({ scenario: `${scenario}, uncached (CATALOG_CACHE_TTL=0)`, process: `${processName} uncached` }, off, off.throughput);
    record({ scenario: `${scenario}, cached (default CATALOG_CACHE_TTL, ${defaultCatalogTtl} s)`, process: `${processName} cached` }, on, off.throughput);
    listing = on.body;
    if (on.throughput) cachedRows.push({ name: target.name, reqPerSec: on.throughput.reqPerSec });
  }

  // The honest limit of an answer that size: bare fastify sending the same bytes (none measured
  // with `-- functions`: no listing to send).
  const kb = (Buffer.byteLength(listing) / 1024).toFixed(1);
  if (listing) console.error(`bench: bare fastify sending the listing's ${kb} KB`);
  const bareListing = listing ? await bareFastifySending(listing) : undefined;
  if (bareListing) record({ scenario: `bare fastify sending the same listing (${kb} KB of JSON)`, process: 'bare fastify, listing' }, bareListing);
  if (bareListing?.throughput) {
    const against = bareListing.throughput.reqPerSec;
    notes.push(
      `The cached listing against bare fastify sending the same ${kb} KB (the listing of the last storage, as text) in this run: ` +
        cachedRows.map((row) => `${row.name} ${(row.reqPerSec / against).toFixed(2)}×`).join(', ') +
        '.',
    );
  }

  notes.push(
    `The runtime runs all ${functionCount} functions of stack.yml and their shared dependencies in one process without children; its RSS is the whole shop.`,
    `The isolated get-me process holds one function but its own full set of dependencies; the isolated mode runs ${functionCount} of them. ` +
      `It and hello run bundled, from the layout and with the command (\`${shippedCommand().join(' ')}\`) of the function image.`,
    `Cold start: spawn → the first 200 of GET / (the process polled every 5 ms once it reported its port), the median of ${coldStartRuns} starts, and the CPU time (user + system) the process used until that 200, its median too; ` +
      'list-products reads the catalog through its stores, connected before it listens.',
    'Every process on embedded defaults, even the one for hello, holds a PGlite instance (PostgreSQL compiled to WebAssembly) in its RSS.',
    `The catalog holds ${products.length} products in ${categories.length} categories, created over the API as the admin by the uncached start (which is in its RSS); ` +
      `the cached start reads the same storage. The listing answers page 1 with 20 products, newest first, and the total count. ` +
      `"vs uncached" compares each cached listing with the uncached one on the same storage; the cache lives in memory (embedded) or in Redis.`,
    `autocannon runs on the same ${cpus().length}-CPU machine and competes with the server for CPU; compare ratios rather than absolute numbers across machines.`,
  );

  // `npm run bench -- http`: these alone. Else the edge on the storage whose catalog the listing
  // scenarios just loaded, then events and orders.
  const all = !['http', 'functions'].includes(process.argv[2]);
  const edgeReport = all ? await edge(notes, production, true) : undefined;
  const eventReport = all ? await events(notes) : undefined;
  const orderReport = all ? await orders(notes) : undefined;
  const bare = throughput[0].result;
  const bareRss = memory[0][1].rssMb;
  return {
    ...machine(loadAverage),
    scenarios: throughput.map(({ scenario, result: t, uncached: u }) => ({
      scenario,
      ...t,
      reqPerSecVsBare: t.reqPerSec / bare.reqPerSec,
      p99VsBare: t.p99 / bare.p99,
      ...(u && { reqPerSecVsUncached: t.reqPerSec / u.reqPerSec, p99VsUncached: t.p99 / u.p99 }),
    })),
    memory: memory.map(([name, m]) => ({ process: name, ...m, vsBare: m.rssMb / bareRss })),
    coldStarts: coldStartRows,
    functions,
    events: eventReport,
    orders: orderReport,
    edge: edgeReport,
    notes,
  };
}

type Align = 'left' | 'right';

function plainTable(headers: string[], rows: string[][], align: Align[]) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(headers: string[], rows: string[][], align: Align[]) {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(align.map((a) => (a === 'right' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);
const ratio = (n: number) => `${n.toFixed(2)}×`;

const optionalRatio = (n: number | undefined) => (n === undefined ? '—' : ratio(n));

/** `scenario` as printed: the markdown one sets the request in code, as the README does. */
function tables(report: Report, scenario = (name: string) => name) {
  const throughput = {
    headers: ['Scenario', 'req/s', 'p50 (ms)', 'p99 (ms)', 'req/s vs bare', 'p99 vs bare', 'req/s vs uncached', 'p99 vs uncached'],
    rows: report.scenarios.map((s) => [
      scenario(s.scenario),
      int(s.reqPerSec),
      ms(s.p50),
      ms(s.p99),
      ratio(s.reqPerSecVsBare),
      ratio(s.p99VsBare),
      optionalRatio(s.reqPerSecVsUncached),
      optionalRatio(s.p99VsUncached),
    ]),
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] as Align[],
  };
  const memory = {
    headers: ['Process', 'processes', 'RSS after warm-up (MB)', 'vs bare fastify'],
    rows: report.memory.map((m) => [m.process, String(m.processes), m.rssMb.toFixed(1), ratio(m.vsBare)]),
    align: ['left', 'right', 'right', 'right'] as Align[],
  };
  const coldStarts = {
    headers: ['Cold start: spawn → first 200', 'median (ms)', 'vs bare fastify', 'CPU until then (ms)', 'CPU vs bare'],
    rows: report.coldStarts.map((c) => [c.process, ms(c.ms), ratio(c.vsBare), String(c.cpuMs), ratio(c.cpuVsBare)]),
    align: ['left', 'right', 'right', 'right', 'right'] as Align[],
  };
  const e = report.events;
  const row = (r: EventsResult) => [
    r.path,
    int(r.backlog),
    int(r.live),
    ms(r.p50),
    ms(r.p99),
    ratio(r.backlog / e!.raw.backlog),
    ratio(r.live / e!.raw.live),
    ratio(r.p50 / e!.raw.p50),
    ratio(r.p99 / e!.raw.p99),
    int(r.cpuPerEvent),
    r.syscallsPerEvent.toFixed(1),
  ];
  const events = {
    headers: ['Events', 'backlog events/s', 'live events/s', 'p50 (ms)', 'p99 (ms)', 'backlog vs raw', 'live vs raw', 'p50 vs raw', 'p99 vs raw', 'CPU µs/event (backlog)', 'syscalls/event (backlog)'],
    rows: e ? [row(e.raw), row(e.shop)] : [],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] as Align[],
  };
  const o = report.orders;
  const baseline = o?.rows[0];
  const orders = {
    headers: ['Orders (PostgreSQL + Redis + RabbitMQ)', 'placed → confirmed p50 (ms)', 'p99 (ms)', 'sustained orders/s', 'orders', 'load', 'orders/s vs no zone', 'p50 vs no zone', 'p99 vs no zone'],
    rows: (o?.rows ?? []).map((r) => [
      r.scenario,
      ms(r.p50),
      ms(r.p99),
      int(r.ordersPerSec),
      String(r.orders),
      r.loadAverage.toFixed(1),
      ratio(r.ordersPerSec / baseline!.ordersPerSec),
      ratio(r.p50 / baseline!.p50),
      ratio(r.p99 / baseline!.p99),
    ]),
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] as Align[],
  };
  const g = report.edge;
  const edgeRow = (name: string, r: Throughput) => [name, int(r.reqPerSec), ms(r.p50), ms(r.p99), ratio(r.reqPerSec / g!.alone.reqPerSec), ratio(r.p99 / g!.alone.p99)];
  const edge = {
    headers: [`Edge: GET ${CATALOG_LIST_PATH}, cached, ${g?.target ?? ''}`, 'req/s', 'p50 (ms)', 'p99 (ms)', 'req/s vs alone', 'p99 vs alone'],
    rows: g ? [edgeRow('runtime alone', g.alone), edgeRow('nginx → runtime', g.throughNginx)] : [],
    align: ['left', 'right', 'right', 'right', 'right', 'right'] as Align[],
  };
  const c = report.metrics;
  const costRow = (name: string, r: Throughput) => [name, int(r.reqPerSec), ms(r.p50), ms(r.p99), ratio(r.reqPerSec / c!.off.reqPerSec), ratio(r.p99 / c!.off.p99)];
  const metrics = {
    headers: [`Metrics: GET ${CATALOG_LIST_PATH}, cached, embedded`, 'req/s', 'p50 (ms)', 'p99 (ms)', 'req/s vs off', 'p99 vs off'],
    rows: c ? [costRow('METRICS=off', c.off), costRow('metrics counted (default)', c.on)] : [],
    align: ['left', 'right', 'right', 'right', 'right', 'right'] as Align[],
  };
  const f = report.functions ?? [];
  const bareRss = report.memory[0]?.rssMb ?? NaN;
  const sum = (pick: (m: FunctionMemory) => number) => f.reduce((total, m) => total + pick(m), 0);
  const functions = {
    headers: ['Function, bundled, alone', 'RSS at start (MB)', 'RSS after calls (MB)', 'of which its own (MB)', 'vs bare fastify', 'answers'],
    rows: f.length
      ? [
          ...f.map((m) => [m.name, m.startMb.toFixed(1), m.rssMb.toFixed(1), m.ownMb.toFixed(1), ratio(m.rssMb / bareRss), m.statuses]),
          [`largest of ${f.length}`, ...[(m: FunctionMemory) => m.startMb, (m: FunctionMemory) => m.rssMb, (m: FunctionMemory) => m.ownMb].map((pick) => Math.max(...f.map(pick)).toFixed(1)), ratio(Math.max(...f.map((m) => m.rssMb)) / bareRss), ''],
          [`the stack: ${f.length} functions, one replica each`, sum((m) => m.startMb).toFixed(0), sum((m) => m.rssMb).toFixed(0), sum((m) => m.ownMb).toFixed(0), '', ''],
        ]
      : [],
    align: ['left', 'right', 'right', 'right', 'right', 'left'] as Align[],
  };
  return { throughput, memory, coldStarts, functions, events, orders, edge, metrics };
}

/** "GET /api/users/me, runtime, …" → "`GET /api/users/me`, runtime, …". */
const requestInCode = (name: string) => name.replace(/^(GET \S+?),/, '`$1`,');

function print(report: Report) {
  const { throughput, memory, coldStarts, functions, events, orders, edge, metrics } = tables(report);
  const md = tables(report, requestInCode);
  const { seconds, warmupSeconds, connections } = report.settings;
  const setup =
    `${report.date.slice(0, 10)}, Node ${report.node}, ${report.cpus} × ${report.cpu}; autocannon over loopback, ` +
    `${connections} connections, ${warmupSeconds} s warm-up then ${seconds} s per scenario; load average ${report.loadAverage.toFixed(2)} at the start.`;
  const notes = report.notes.map((n) => `- ${n}`).join('\n');

  // A scenario run alone (`npm run bench -- edge`) has no throughput or memory rows.
  console.log(`\n${setup}`);
  if (throughput.rows.length) console.log(`\n${plainTable(throughput.headers, throughput.rows, throughput.align)}`);
  if (memory.rows.length) console.log(`\n${plainTable(memory.headers, memory.rows, memory.align)}`);
  if (coldStarts.rows.length) console.log(`\n${plainTable(coldStarts.headers, coldStarts.rows, coldStarts.align)}`);
  if (functions.rows.length) console.log(`\n${plainTable(functions.headers, functions.rows, functions.align)}`);
  if (events.rows.length) console.log(`\n${plainTable(events.headers, events.rows, events.align)}`);
  if (orders.rows.length) console.log(`\n${plainTable(orders.headers, orders.rows, orders.align)}`);
  if (edge.rows.length) console.log(`\n${plainTable(edge.headers, edge.rows, edge.align)}\n\nnginx → runtime / runtime alone: ${report.edge!.ratio.toFixed(2)}× req/s`);
  if (metrics.rows.length) console.log(`\n${plainTable(metrics.headers, metrics.rows, metrics.align)}\n\nwith metrics / without: ${report.metrics!.ratio.toFixed(3)}× req/s`);
  console.log(`\n${notes}`);
  console.log('\n---- Markdown, for docs/benchmarks.md ----\n');
  console.log(`${setup}\n`);
  if (md.throughput.rows.length) console.log(`${markdownTable(md.throughput.headers, md.throughput.rows, md.throughput.align)}\n`);
  if (md.memory.rows.length) console.log(`${markdownTable(md.memory.headers, md.memory.rows, md.memory.align)}\n`);
  if (md.coldStarts.rows.length) console.log(`${markdownTable(md.coldStarts.headers, md.coldStarts.rows, md.coldStarts.align)}\n`);
  if (md.functions.rows.length) console.log(`${markdownTable(md.functions.headers, md.functions.rows, md.functions.align)}\n`);
  if (md.events.rows.length) console.log(`${markdownTable(md.events.headers, md.events.rows, md.events.align)}\n`);
  if (md.orders.rows.length) console.log(`${markdownTable(md.orders.headers, md.orders.rows, md.orders.align)}\n`);
  if (md.edge.rows.length) console.log(`${markdownTable(md.edge.headers, md.edge.rows, md.edge.align)}\n`);
  if (md.metrics.rows.length) console.log(`${markdownTable(md.metrics.headers, md.metrics.rows, md.metrics.align)}\n`);
  console.log(`${notes}\n`);
}

try {
  const report = await bench();
  writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
  print(report);
  console.log(`Results written to ${resultsFile}`);
} catch (error) {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
