import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Everything the server sent before it closed the connection. */
  raw: string;
}

/**
 * Sends bytes as they are over a fresh TCP connection and reads until the server closes it:
 * for requests no HTTP client would send (a broken request line, huge headers, a request
 * that never finishes). `write` may send more later; the answer comes when the server hangs up.
 */
export function rawHttp(url: string, request: string | Buffer, write?: (more: (chunk: string) => void) => void): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      if (request.length) socket.write(request);
      write?.((chunk) => socket.write(chunk));
    });
    const chunks: Buffer[] = [];
    // No setEncoding on this socket, so its chunks are Buffers (the types allow strings too).
    socket.on('data', (chunk) => chunks.push(chunk as Buffer));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = raw.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      let body: unknown = rest.join('\r\n\r\n');
      try {
        body = JSON.parse(body as string);
      } catch {
        // not JSON: kept as text
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body, raw });
    });
  });
}
