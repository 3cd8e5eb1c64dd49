import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Every address a host name stands for (node:dns lookup with all: true, or a stand-in in tests). */
export type Resolve = (host: string) => Promise<LookupAddress[]>;

const resolveWithDns: Resolve = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * The IPv4 address an IPv6 address carries, if it carries one: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and SIIT (::ffff:0:a.b.c.d) forms all
 * reach the IPv4 address, so the rule must see that one.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = address.range();
  const last32 = () => ipaddr.fromByteArray(address.toByteArray().slice(12)) as ipaddr.IPv4;
  if (range === 'ipv4Mapped' || range === 'rfc6052' || range === 'rfc6145') return last32();
  const [a, b, c, d, e, f, g] = address.parts;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0 && g !== 0) return last32();
  return undefined;
}

/**
 * Whether an address, in any form ipaddr.js reads (dotted, decimal, octal or hex IPv4; IPv6
 * with a zone id), is this machine as a whole: loopback (127.0.0.0/8, ::1) or unspecified
 * (0.0.0.0, ::, which connect to this machine too). Unreadable text counts as such: refused.
 */
export function isThisMachine(text: string): boolean {
  if (!ipaddr.isValid(text)) return true;
  const parsed = ipaddr.parse(text);
  const plain = parsed.kind() === 'ipv6' ? (embeddedIPv4(parsed as ipaddr.IPv6) ?? parsed) : parsed;
  return ['loopback', 'unspecified'].includes(plain.range());
}

/** A host as the URL has it, ready to resolve: no IPv6 brackets, no trailing dots (`localhost.` is `localhost`). */
const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');

/** `localhost` and every name under it are this machine whatever DNS says (RFC 6761). */
const isLocalhostName = (host: string) => /(^|\.)localhost$/i.test(host);

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/**
 * Why a callback to `url` is refused, or undefined when it may go: a callback to the gateway's
 * own port on this machine would call the gateway itself (and with it `/async-function` and
 * `/system`), however the address is written and whatever it resolves to. Every resolved
 * address is checked; a host that does not resolve is refused too, since it cannot be checked.
 */
export async function callbackRefusal(url: URL, gatewayPort: number, resolve: Resolve = resolveWithDns): Promise<string | undefined> {
  if (portOf(url) !== gatewayPort) return undefined;
  const host = bareHost(url.hostname);
  if (isLocalhostName(host)) return 'X-Callback-Url must not point at the gateway itself';
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await resolve(host)).map((a) => a.address);
  } catch {
    return `X-Callback-Url's host ${host} does not resolve`;
  }
  if (!addresses.length || addresses.some(isThisMachine)) return 'X-Callback-Url must not point at the gateway itself';
  return undefined;
}

/**
 * A lookup for node's HTTP client that refuses the addresses `callbackRefusal` refuses: the
 * connection goes to the very addresses checked, so DNS answering otherwise between the check
 * and the connection (rebinding) gains nothing.
 */
function checkedLookup(url: URL, gatewayPort: number, resolve: Resolve): LookupFunction {
  return ((host: string, options: LookupOptions | LookupAllOptions, callback: (...args: unknown[]) => void) => {
    resolve(host).then(
      (addresses) => {
        if (portOf(url) === gatewayPort && addresses.some((a) => isThisMachine(a.address))) {
          callback(new Error('the callback host resolves to this machine, at the gateway port'));
        } else if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: Error) => callback(error),
    );
  }) as LookupFunction;
}

/** The callback address is one the worker may never call: asking again changes nothing. */
export class CallbackRefusedError extends Error {}

export interface Delivery {
  headers: Record<string, string>;
  body: Uint8Array;
  timeoutMs: number;
  gatewayPort: number;
  resolve?: Resolve;
}

/**
 * POSTs an async call's answer to its callback, checked again now (DNS can change between the
 * 202 and the callback): rejects, without connecting, when it would reach the gateway itself.
 * Answers the callback's status.
 */
export async function deliverCallback(target: string, { headers, body, timeoutMs, gatewayPort, resolve = resolveWithDns }: Delivery): Promise<number> {
  const url = new URL(target);
  const refusal = await callbackRefusal(url, gatewayPort, resolve);
  if (refusal) throw new CallbackRefusedError(refusal);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': body.byteLength }, lookup: checkedLookup(url, gatewayPort, resolve) }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', fail);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', fail);
    req.end(body);
  });
}
