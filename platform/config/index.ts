/**
 * The shop's whole configuration: every setting of the area files below, read from the
 * environment and the secret files into one typed object, or refused with one sentence per bad
 * value before anything starts. To add a setting, add one `setting({...})` entry to the area it
 * belongs to (or a new area file, spread into `schema`), then `npm run docs:config`.
 */
import { auth } from './auth.js';
import { container } from './container.js';
import { events } from './events.js';
import { mail } from './mail.js';
import { orders } from './orders.js';
import { payment } from './payment.js';
import { server } from './server.js';
import { readSetting, rawValue, secretFile, settingsOf, type Env, type Tree, type ValuesOf } from './setting.js';
import { similarNames } from './similar.js';
import { stores } from './stores.js';

/** Every area: its heading in the README and its settings (a new area file goes here and into `schema`). */
export const areas = {
  server: { title: 'Serving', settings: server },
  stores: { title: 'Stores and caches', settings: stores },
  auth: { title: 'Accounts, tokens and limits', settings: auth },
  orders: { title: 'Orders', settings: orders },
  payment: { title: 'Payment', settings: payment },
  mail: { title: 'Mail', settings: mail },
  events: { title: 'Events and async calls', settings: events },
  container: { title: 'Function containers', settings: container },
} satisfies Record<string, { title: string; settings: Tree }>;
/** Every setting in the shape of the config object. */
export const schema = { ...server, ...stores, ...auth, ...orders, ...payment, ...mail, ...events, ...container } satisfies Tree;
export type Config = ValuesOf<typeof schema>;
export type EventSettings = Config['events'];

/** Every setting, flat, in declaration order. */
export const settings = settingsOf(schema);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.join('; ')}.`);
  }
}

export type ConfigReading = { config: Config; problems: []; warnings: string[] } | { config?: undefined; problems: string[]; warnings: string[] };

/** Reads every setting; `problems` says what is wrong, one sentence each, `warnings` what looks mistyped. */
export function readConfig(env: Env = process.env): ConfigReading {
  const secretsDir = readSetting(schema.secretsDir, rawValue(schema.secretsDir, env, ''));
  const dir = 'value' in secretsDir ? (secretsDir.value as string) : '/var/openfaas/secrets';
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const { path, setting } of settings) {
    const read = readSetting(setting, rawValue(setting, env, dir));
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    let into = config;
    for (const key of path.slice(0, -1)) into = (into[key] ??= {}) as Record<string, unknown>;
    into[path.at(-1)!] = read.value;
  }
  const warnings = similarNames(Object.keys(env).filter((name) => env[name]), settings.map(({ setting }) => setting.env));
  return problems.length ? { problems, warnings } : { config: config as Config, problems: [], warnings };
}

/** The configuration, or a ConfigError whose message is the sentence that refuses it. */
export function loadConfig(env: Env = process.env): Config {
  const reading = readConfig(env);
  if (reading.config) return reading.config;
  throw new ConfigError(reading.problems);
}

/**
 * For an entry point: the configuration, or `<who> cannot start: <the sentence>.` on stderr and
 * exit code 1, before anything starts. Names that look like a mistyped setting are warned about.
 */
export function configOrExit(who: string, env: Env = process.env): Config {
  const reading = readConfig(env);
  for (const warning of reading.warnings) console.error(`${who}: ${warning}`);
  if (reading.config) return reading.config;
  console.error(`${who} cannot start: ${reading.problems.join('; ')}.`);
  process.exit(1);
}

/**
 * One secret by the name of its file, such as `basic-auth-user`: the OpenFaaS secret file
 * `/var/openfaas/secrets/<name>` (or under SECRETS_DIR), else the environment variable of the
 * same name in upper snake case. Settings declare `secret: true` instead; this is for the rest.
 */
export function readSecret(name: string, env: Env = process.env): string | undefined {
  const envName = name.toUpperCase().replaceAll('-', '_');
  return rawValue({ env: envName, secret: true }, env, env.SECRETS_DIR || '/var/openfaas/secrets').text;
}

/** The secret files the shop reads, by name (`database-url`, …). */
export const secretFiles = settings.filter(({ setting }) => setting.secret).map(({ setting }) => secretFile(setting.env));

/**
 * Names whose values are secrets or personal data, such as `JWT_PRIVATE_KEY`, `DATABASE_URL`
 * (it may carry a password) or `ADMIN_EMAIL`; and every setting declared a secret.
 */
const secretLike = /pass|secret|token|credential|private|auth|cookie|session|email|dsn|(^|_)(url|key)$/i;
const secretNames = new Set(settings.filter(({ setting }) => setting.secret).map(({ setting }) => setting.env));

/**
 * Environment variables fit to show (`GET /system/functions`): secrets belong in secret files,
 * but a value put in the environment by mistake is still never listed.
 */
export const publicEnvironment = (environment: Record<string, string>) =>
  Object.fromEntries(Object.entries(environment).filter(([name]) => !secretLike.test(name) && !secretNames.has(name)));

export { parseDuration, parseDurations, parseSize } from './kinds.js';
export { mailLinkBase, mailSender } from './mail.js';
export { secretFile, settingsOf, type Setting } from './setting.js';
