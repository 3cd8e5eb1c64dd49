/** Child processes for the benchmark: start them, know when they listen, measure and stop them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;

// Only what node and tsx need: a DATABASE_URL, RUNTIME_MODE, HOST or secret in the caller's
// shell must not leak into a scenario that is meant to run on embedded defaults.
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];

export function childEnv(extra: Record<string, string>): Record<string, string> {
  // Data, not a performance setting: the bench loads its own catalog (bench/catalog.ts), which the
  // demo catalog of a first embedded start would collide with (its categories) and enlarge.
  const env: Record<string, string> = { DEMO_CATALOG: 'off' };
  for (const name of INHERITED) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  return { ...env, ...extra };
}

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

// Last resort when the bench itself dies on an uncaught error: 'exit' handlers run synchronously.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM for a clean shutdown (connections closed, PGlite flushed), SIGKILL if it hangs. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (!exited(child)) {
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_GRACE_MS);
    }
  }
  live.delete(child);
}

export interface SpawnOptions {
  /** The process still writes its logs (that is part of what it costs), to nowhere. */
  quiet?: boolean;
  /** Where it runs; the repository root by default, so `#platform/…` and stack.yml resolve. */
  cwd?: string;
  /** Node's options before the script: tsx by default; plain JavaScript needs none. */
  nodeOptions?: string[];
}

/** BENCH_CPU_PROF=<dir>: every process under test writes a CPU profile there when it stops. */
const profileDir = process.env.BENCH_CPU_PROF;
const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];

/** `node --import tsx <script>` from the repository root, or as `options` say. */
export function spawnNode(name: string, script: string, env: Record<string, string>, options: SpawnOptions = {}): Child {
  const { quiet = false, cwd = repoRoot, nodeOptions = ['--import', 'tsx'] } = options;
  const child = spawn(process.execPath, [...profiling, ...nodeOptions, script], {
    cwd,
    env,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  return { name, process: child, pid: child.pid!, stop: () => stopProcess(child) };
}

function startFailure(child: Child, reject: (error: Error) => void) {
  const onExit = (code: number | null, signal: string | null) =>
    reject(new Error(`${child.name} exited (code ${code}, signal ${signal}) while starting`));
  child.process.once('exit', onExit);
  const timer = setTimeout(() => reject(new Error(`${child.name} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  return () => {
    clearTimeout(timer);
    child.process.off('exit', onExit);
  };
}

/** Resolves with the first IPC message that carries a port (`{ ready, port }`). */
export function waitForIpcPort(child: Child): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = startFailure(child, reject);
    const onMessage = (message: unknown) => {
      const port = (message as { port?: unknown } | null)?.port;
      if (typeof port !== 'number') return;
      child.process.off('message', onMessage);
      done();
      resolve(port);
    };
    child.process.on('message', onMessage);
  });
}

/** Polls every `pollMs` until `url` answers 200 (the runtime has no IPC ready message, only /healthz). */
export async function waitForHttp(child: Child, url: string, pollMs = 100): Promise<void> {
  let failed: Error | undefined;
  const done = startFailure(child, (error) => (failed = error));
  try {
    while (!failed) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    throw failed;
  } finally {
    done();
  }
}

/** A port free on loopback right now; the child binds it a moment later (a small race, fine locally). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The pid and every descendant, from /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    children = tasks.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // kernel without CONFIG_PROC_CHILDREN, or the process is gone: count it alone
  }
  return [pid, ...children.flatMap(processTree)];
}

/** VmRSS of one process (or another line of its /proc/<pid>/status, in kB there), in MB. */
export function rssMb(pid: number, line = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${line}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  if (!kb) throw new Error(`no ${line} in /proc/${pid}/status`);
  return Number(kb[1]) / 1024;
}

/** CPU milliseconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
export function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * RssAnon: the part of the RSS that is the process's own (V8's heap, malloc), not pages of files
 * it maps (the node binary's code, about 50 MB), which every process mapping the same file shares.
 */
export const ownMb = (pid: number) => rssMb(pid, 'RssAnon');
