/** Load with autocannon from this process; the servers under test run in their own processes. */
import autocannon from 'autocannon';

export interface LoadSettings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface Throughput {
  reqPerSec: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  requests: number;
}

type Headers = Record<string, string>;

/** Nearest-rank percentile of sorted values. */
export const percentile = (sorted: ArrayLike<number>, q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;

async function fire(url: string, seconds: number, connections: number, headers: Headers): Promise<Throughput> {
  // autocannon's own percentiles come from a histogram in whole milliseconds, which reads
  // 0 or 1 ms for every fast scenario here; the per-response times it emits are sub-millisecond.
  const times: number[] = [];
  const statuses = new Map<number, number>();
  const run = autocannon({ url, connections, duration: seconds, pipelining: 1, headers });
  run.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 200 && status < 300) times.push(ms);
  });
  const result = await run;

  // A run that measured 401s or resets measured the wrong thing: better no number than that one.
  const wrong = [...statuses].filter(([status]) => status < 200 || status >= 300);
  if (wrong.length || result.errors || result.timeouts) {
    const codes = wrong.map(([status, count]) => `${count}× ${status}`).join(', ');
    throw new Error(`${url}: ${codes || 'no bad statuses'}; ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  if (!times.length) throw new Error(`${url}: no answers in ${seconds} s`);

  const sorted = Float64Array.from(times).sort();
  return {
    reqPerSec: times.length / result.duration,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    requests: times.length,
  };
}

/** Warm-up (JIT, connection pools, caches) and nothing measured; throws if the server answers wrong. */
export async function warmUp(url: string, settings: LoadSettings, headers: Headers = {}): Promise<void> {
  await fire(url, settings.warmupSeconds, settings.connections, headers);
}

export function measure(url: string, settings: LoadSettings, headers: Headers = {}): Promise<Throughput> {
  return fire(url, settings.seconds, settings.connections, headers);
}
