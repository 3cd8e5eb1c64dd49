/**
 * A setting is declared once: its environment name, its kind (a zod type), its default, one line
 * for the README and whether it is a secret. The area files (stores.ts, auth.ts, …) arrange
 * settings in the shape of the config object; index.ts reads them all from the environment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kind } from './kinds.js';

export interface SettingSpec<T> {
  /** The environment variable, such as `LOGIN_WINDOW_SECONDS`. */
  env: string;
  kind: Kind<T>;
  /** The default, written as an operator would set it (`15m`, `1mb`); read by `kind` like a set value. */
  default?: string;
  /** What happens when it is unset, when that is more than a default value (shown in the README). */
  unset?: string;
  /** One line for the README: what it does. */
  about: string;
  /** Read from the secret file `<SECRETS_DIR>/<env in kebab case>` first; its value is never shown. */
  secret?: boolean;
  /** Who reads it, when not every process does (shown in the README): `npm run connector`, `tests`, … */
  only?: string;
}

/** A declared setting; `T` includes undefined when it has no default. */
export interface Setting<T> extends SettingSpec<unknown> {
  readonly kind: Kind<T>;
  readonly isSetting: true;
}

export function setting<T>(spec: SettingSpec<T> & { default: string }): Setting<T>;
export function setting<T>(spec: SettingSpec<T>): Setting<T | undefined>;
export function setting<T>(spec: SettingSpec<T>): Setting<T> {
  return { ...spec, isSetting: true };
}

/** Settings arranged in the shape of the object they fill. */
export interface Tree {
  [key: string]: Setting<unknown> | Tree;
}

type Optional<T> = { [K in keyof T]: T[K] extends Setting<infer V> ? (undefined extends V ? K : never) : never }[keyof T];
type Flat<T> = { [K in keyof T]: T[K] };

/** The typed object a tree of settings reads into: a setting without a default is an optional key. */
export type ValuesOf<T> = Flat<
  { -readonly [K in Exclude<keyof T, Optional<T>>]: T[K] extends Setting<infer V> ? V : ValuesOf<T[K]> } & {
    -readonly [K in Optional<T>]?: T[K] extends Setting<infer V> ? V : never;
  }
>;

const isSetting = (node: Setting<unknown> | Tree): node is Setting<unknown> => (node as Setting<unknown>).isSetting === true;

/** Every setting of a tree, in declaration order, with the path of its key. */
export function settingsOf(tree: Tree, path: string[] = []): { path: string[]; setting: Setting<unknown> }[] {
  return Object.entries(tree).flatMap(([key, node]) =>
    isSetting(node) ? [{ path: [...path, key], setting: node }] : settingsOf(node, [...path, key]));
}

/** `DATABASE_URL` → `database-url`, the name of its OpenFaaS secret file. */
export const secretFile = (env: string) => env.toLowerCase().replaceAll('_', '-');

export type Env = Record<string, string | undefined>;

/** Where a value came from, for the sentence that refuses it. */
interface Raw {
  text?: string;
  from?: string;
}

/**
 * A setting's text: a secret's file under `secretsDir` first, else the environment variable;
 * empty means unset.
 */
export function rawValue(setting: Pick<SettingSpec<unknown>, 'env' | 'secret'>, env: Env, secretsDir: string): Raw {
  if (setting.secret) {
    const file = join(secretsDir, secretFile(setting.env));
    try {
      const text = readFileSync(file, 'utf8').trim();
      if (text) return { text, from: `the secret file ${file}` };
    } catch {
      // no such file: the environment variable, if any
    }
  }
  const text = env[setting.env];
  return text ? { text } : {};
}

/** Shown in a sentence: bare when plain, JSON-quoted when it has spaces, quotes or commas. */
const shown = (text: string) => (/^[^\s"'=;,]+$/.test(text) ? text : JSON.stringify(text));

/** Reads one setting, or says in one sentence what is wrong with its value. */
export function readSetting(setting: Setting<unknown>, raw: Raw): { value: unknown } | { problem: string } {
  const text = raw.text ?? setting.default;
  if (text === undefined) return { value: undefined };
  const parsed = setting.kind.safeParse(text);
  if (parsed.success) return { value: parsed.data };
  const message = parsed.error.issues[0]?.message ?? 'is not valid';
  const predicate = /^(is|must) /.test(message) ? message : `is not valid (${message})`;
  if (raw.text === undefined) return { problem: `the default of ${setting.env} (${setting.default}) ${predicate}` };
  // A secret's value is never repeated: it would end up in logs.
  const subject = setting.secret ? setting.env : `${setting.env}=${shown(raw.text)}`;
  return { problem: `${subject} ${predicate}${raw.from ? ` (read from ${raw.from})` : ''}` };
}
