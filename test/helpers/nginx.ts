import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { loadStack } from '../../runtime/stack.js';
import { findNginx, prepareLocalNginx } from '../../scripts/nginx-local.js';

/** The nginx the suites run, if this machine has one (.ci/run installs it). */
export const nginxBinary = findNginx();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * nginx with the generated config (checked with `nginx -t`) in front of `upstream`, as one
 * foreground process that is our child: stopping it leaves nothing behind. Stopped, and its
 * folder removed, in teardown.
 */
export async function startNginx(t: Test, upstream: string, { corsOrigins = '', trustedProxies = '' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shop-nginx-'));
  const port = await freePort();
  let args: string[];
  try {
    args = prepareLocalNginx(nginxBinary!, loadStack('stack.yml'), { dir, upstream, listen: `127.0.0.1:${port}`, corsOrigins, trustedProxies, singleProcess: true });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const child: ChildProcess = spawn(nginxBinary!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = () => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM');
  process.once('exit', stop); // even if the suite dies, nginx must not outlive it
  t.teardown(async () => {
    stop();
    await exited;
    process.removeListener('exit', stop);
    rmSync(dir, { recursive: true, force: true });
  });

  const base = `http://127.0.0.1:${port}`;
  // Any answer will do (the upstream may not be healthy yet): nginx listens.
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/nginx-listens`).then(() => true, () => false)) break;
    if (i > 200 || child.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    base,
    dir,
    errorLog: () => readFileSync(join(dir, 'error.log'), 'utf8'),
    accessLog: () => readFileSync(join(dir, 'access.log'), 'utf8'),
  };
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface RawRequest {
  method?: string;
  /** Sent exactly as given (fetch would normalise dot segments first). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Streams this many bytes in 64 KiB chunks, as a client uploading a file does. */
  bodyBytes?: number;
  /** Another loopback address (127.0.0.2, …): a client of its own for nginx's per-IP limits. */
  localAddress?: string;
}

/**
 * One request with node:http, which reads the answer even when the server answers before the
 * body is sent (fetch reports EPIPE then). Rejects only if no answer came at all.
 */
export function rawRequest(base: string, r: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const size = r.body?.length ?? r.bodyBytes ?? 0;
    const headers = { ...r.headers, ...(size || r.method === 'POST' ? { 'content-length': String(size) } : {}) };
    const request = httpRequest(base + '/', { method: r.method ?? 'GET', path: r.path, headers, localAddress: r.localAddress, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode!, headers: response.headers, text, json });
      });
    });
    // A write error after the answer arrived is the server closing early: the answer stands.
    request.on('error', reject);
    if (r.body) return void request.end(r.body);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!request.write(piece)) return void request.once('drain', write);
      }
      request.end();
    };
    write();
  });
}
