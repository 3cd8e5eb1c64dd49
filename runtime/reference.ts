import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionDefinition } from '#platform/define-function.js';
import { consumersOf, eventWebhooks } from '#platform/event-docs.js';
import { openApiDocument } from '#platform/openapi.js';
import type { Stack } from './stack.js';

/** Each function's definition (its module in functions/<name>/index.ts), checked against its route. */
export async function loadDefinitions(stack: Stack) {
  return Promise.all(
    stack.functions.map(async (spec) => {
      const fn = ((await import(pathToFileURL(join(spec.handler, 'index.ts')).href)) as { default: FunctionDefinition }).default;
      if (spec.route && spec.route.method !== fn.method) {
        throw new Error(`${spec.name}: stack.yml routes ${spec.route.method} but the function answers ${fn.method}`);
      }
      return { spec, fn };
    }),
  );
}

export type Definitions = Awaited<ReturnType<typeof loadDefinitions>>;

const description = [
  'The public API of the food shop. JSON in and out; errors are `{"error":{"code","message","details?"}}`;',
  'money is in integer minor units; lists take `page` and `limit` and answer `{items, page, limit, total}`.',
  'Log in with `POST /api/auth/login` and send the access token as `Authorization: Bearer <token>`.',
  'Every answer carries `X-Call-Id`.',
].join(' ');

/** The OpenAPI document of the shop's public routes and its events, as `GET /api/openapi.json` serves it. */
export function apiDocument(definitions: Definitions) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return openApiDocument(
    definitions.map(({ spec, fn }) => ({ name: spec.name, route: spec.route, definition: fn, area: spec.labels['com.shop.domain'] })),
    { version, description, webhooks: eventWebhooks(consumersOf(definitions.map(({ spec }) => spec))) },
  );
}
