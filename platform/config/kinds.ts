/**
 * The kinds of value a setting takes: zod types from the environment's text to what the code
 * uses. Each failure message is the end of the sentence that refuses a bad value, after
 * `NAME=value ` (or `NAME ` for a secret): "is not a whole number above 0", "must start with …".
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';

/** A zod type that reads a setting's text. */
export type Kind<T> = z.ZodType<T, string>;

/** A kind from a parser that answers undefined for what it cannot read, and the words for what it expects. */
export function kind<T>(parse: (text: string) => T | undefined, problem: string): Kind<T> {
  return z.string().transform((text, ctx) => {
    const value = parse(text);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return value;
  });
}

/** `1mb`, `512kb`, `2048` → bytes. */
export function parseSize(text: string | undefined, fallback: number): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(text?.trim() ?? '');
  if (!match) return fallback;
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Math.floor(Number(match[1]) * unit);
}

/** `10s`, `1m30s`, `500ms`, `15` (seconds) → seconds; what is not a duration gives `fallback`. */
export function parseDuration(text: string | undefined, fallback: number): number {
  const trimmed = text?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return fallback;
  const seconds = { ms: 0.001, s: 1, m: 60, h: 3600 };
  return [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * seconds[unit as keyof typeof seconds], 0);
}

/** `1s,5s,30s` → milliseconds; fallback unless every part is a duration above 0. */
export function parseDurations(text: string | undefined, fallback: number[]): number[] {
  const seconds = (text ?? '').split(',').map((part) => parseDuration(part.trim(), NaN));
  return text && seconds.every((n) => n > 0) ? seconds.map((n) => Math.round(n * 1000)) : fallback;
}

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text) : undefined);

/** A whole number from `min` (1 unless told) to `max`. */
export const count = ({ min = 1, max = Number.MAX_SAFE_INTEGER, what = 'a whole number' } = {}) =>
  kind((text) => {
    const n = whole(text);
    return n !== undefined && n >= min && n <= max ? n : undefined;
  }, `is not ${what} ${max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `of ${min} or more`}`);

/** A whole number above 0, where 0 stands for the default (as unset does). */
export const countOrZero = (fallback: number) =>
  kind((text) => {
    const n = whole(text);
    return n === 0 ? fallback : n;
  }, 'is not a whole number (0 for the default)');

export const port = kind((text) => {
  const n = whole(text);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}, 'is not a port number (1 to 65535)');

/** A port, or 0 for any free one (tests). */
export const portOrZero = kind((text) => {
  const n = whole(text);
  return n !== undefined && n <= 65535 ? n : undefined;
}, 'is not a port number (0 to 65535)');

/** A duration such as `30s`, `15m`, `1m30s`, `500ms` or `15` (seconds), in `unit`s. */
export const duration = ({ unit = 's', zero = false }: { unit?: 's' | 'ms'; zero?: boolean } = {}) =>
  kind((text) => {
    const seconds = parseDuration(text, NaN);
    if (!(seconds > 0 || (zero && seconds === 0))) return undefined;
    return unit === 'ms' ? Math.round(seconds * 1000) : seconds;
  }, `is not a duration such as 30s, 15m or 500ms${zero ? '' : ' (above 0)'}`);

/** A comma-separated list of durations above 0, in milliseconds. */
export const durations = kind((text) => {
  const ms = parseDurations(text, []);
  return ms.length ? ms : undefined;
}, 'is not a list of durations above 0 such as 1s,5s,30s');

export const size = kind((text) => {
  const bytes = parseSize(text, NaN);
  return bytes > 0 ? bytes : undefined;
}, 'is not a size such as 1mb, 512kb or 2048 (bytes)');

/** One of `values`. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  kind((text) => values.find((value) => value === text.trim()), `is not one of ${values.join(', ')}`);

/** on or off (true/false, yes/no, 1/0 too). */
export const toggle = kind((text) => {
  const word = text.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(word)) return true;
  if (['off', 'false', 'no', '0'].includes(word)) return false;
  return undefined;
}, 'is not on or off');

/** A URL whose scheme is one of `schemes` (checked by prefix: a MongoDB seed list is no WHATWG URL). */
export const url = (schemes: string[], hint = '') =>
  kind((text) => (schemes.some((scheme) => text.trim().startsWith(`${scheme}://`)) ? text.trim() : undefined),
    `must start with ${schemes.map((s) => `${s}://`).join(', ').replace(/, ([^,]*)$/, ' or $1')}${hint}`);

const httpAddress = (text: string) => {
  const trimmed = text.trim().replace(/\/+$/, '');
  try {
    return ['http:', 'https:'].includes(new URL(trimmed).protocol) ? trimmed : undefined;
  } catch {
    return undefined;
  }
};
const HTTP_PROBLEM = 'is not an http:// or https:// address such as https://shop.example.com';

/** An http(s) address, trailing slashes dropped. */
export const httpBase = kind(httpAddress, HTTP_PROBLEM);
/** An http(s) address, or empty. */
export const httpBaseOrEmpty = kind((text) => (text.trim() ? httpAddress(text) : ''), HTTP_PROBLEM);

/** A comma-separated list; each item read by `item` (undefined refuses the whole). */
export const list = <T>(item: (text: string) => T | undefined, problem: string) =>
  kind((text) => {
    const items = text.split(',').map((part) => part.trim()).filter(Boolean).map(item);
    return items.every((value) => value !== undefined) ? (items) : undefined;
  }, problem);

/** Browser origins (`scheme://host[:port]`) or `*`. */
export const origins = list((origin) => (origin === '*' || /^https?:\/\/[^/\s]+$/.test(origin) ? origin : undefined),
  'is not a comma-separated list of origins such as https://shop.example.com (or *)');

/**
 * An IANA time zone the runtime knows, in its canonical spelling (`europe/berlin` → `Europe/Berlin`).
 * A canonical name is looked up in Intl's list (2 ms); only another spelling builds a
 * DateTimeFormat, whose first construction loads ICU's zone data (about 30 ms of every cold start).
 */
export const timeZone = kind((value) => {
  const name = value.trim();
  if (name === 'UTC' || Intl.supportedValuesOf('timeZone').includes(name)) return name;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}, 'is not an IANA time zone such as Europe/Berlin');
export const text = kind((value) => value, 'is not text');
export const path = kind((value) => resolve(value), 'is not a path');
export const currency = kind((value) => (/^[A-Z]{3}$/.test(value.trim()) ? value.trim() : undefined), 'is not an ISO 4217 code such as USD');
export const email = kind((value) => (/^[^@\s]+@[^@\s]+$/.test(value.trim()) ? value.trim() : undefined), 'is not an email address');

/** An Ed25519 key in PEM: private (`PRIVATE KEY`, PKCS#8) or public. */
export const ed25519Pem = (which: 'private' | 'public') =>
  kind((pem) => {
    try {
      const key = which === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
      return key.asymmetricKeyType === 'ed25519' ? pem : undefined;
    } catch {
      return undefined;
    }
  }, `is not an Ed25519 ${which} key in PEM (openssl genpkey -algorithm ed25519)`);

/** A number above 0, fractions allowed (`24`, `0.5`). */
export const positive = (what = 'a number above 0') =>
  kind((text) => (/^\d+(\.\d+)?$/.test(text.trim()) && Number(text) > 0 ? Number(text) : undefined), `is not ${what}`);

/** A mail sender: an address, with a display name or not (`Food shop <shop@example.com>`). */
export const sender = kind((value) => (/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(value.trim()) ? value.trim() : undefined),
  'is not a sender such as shop@example.com or "Food shop <shop@example.com>"');
