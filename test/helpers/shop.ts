import type { AddressInfo } from 'node:net';
import { loadConfig } from '#platform/config.js';
import { createGateway, type Gateway } from '../../runtime/gateway.js';
import { loadStack } from '../../runtime/stack.js';
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
}

export interface Shop {
  url: string;
  gateway: Gateway;
  admin: { email: string; password: string };
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
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
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** The runtime on a free port, configured for one target, as `npm start` would run it. */
export async function startShop(target: Target, extraEnv: Record<string, string> = {}, isolated = false): Promise<Shop> {
  const { env, cleanup } = await target.env();
  const fullEnv = { ...process.env, ...env, ...extraEnv };
  const gateway = await createGateway({ stack: loadStack('stack.yml'), config: loadConfig(fullEnv), isolated, env: fullEnv });
  await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
  return {
    url,
    gateway,
    admin: { email: fullEnv.ADMIN_EMAIL!, password: fullEnv.ADMIN_PASSWORD! },
    call: (method, path, options) => call(url, method, path, options),
    async close() {
      await gateway.app.close();
      await cleanup();
    },
  };
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
