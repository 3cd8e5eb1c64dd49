import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/**
 * POSTs to the gateway over kept-alive connections with node's own HTTP client: the connector
 * makes one call per event, and fetch (undici) spends several times the CPU per call here.
 */
const agent = new Agent({ keepAlive: true });

export interface Answer {
  status: number;
  contentType?: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Rejects on a network failure, or with a TimeoutError when no whole answer came within `timeoutMs`. */
export function post(url: string, headers: Record<string, string>, body: string | Buffer, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => {
      const error = new Error(`no answer within ${timeoutMs} ms`);
      error.name = 'TimeoutError';
      req.destroy(error);
    });
    req.on('error', reject);
    req.end(body);
  });
}
