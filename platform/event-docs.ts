import { eventCatalog, eventInfo, eventNames, type EventName } from '#domain/events.js';
import { topicMatches } from '#domain/bus.js';
import { orderSaga, sagaTimeout } from '#domain/orders/saga.js';
import { jsonSchema } from './openapi.js';

/**
 * What is written about events, generated from the catalog (domain/events.ts), the saga
 * (domain/orders/saga.ts) and the functions' `topic` annotations: the event table and the saga
 * table of docs/architecture.md (npm run docs:events), and the `webhooks` of the API reference.
 */

type JsonSchema = Record<string, unknown>;
/** Event name → the functions that react to it (stack.yml `topic`). */
export type Consumers = Partial<Record<EventName, string[]>>;

/** Which functions react to each event of the catalog, from the functions' topics (wildcards allowed). */
export function consumersOf(functions: { name: string; topics: string[] }[]): Consumers {
  return Object.fromEntries(
    eventNames.map((name) => [name, functions.filter((f) => f.topics.some((topic) => topicMatches(topic, name))).map((f) => f.name)]),
  );
}

/** The JSON Schema of an event's `data`, without what only the docs read (its producers). */
export function eventDataSchema(name: EventName): JsonSchema {
  const { producers: _docsOnly, ...schema } = jsonSchema(eventCatalog[name], 'output');
  return schema;
}

/** `orderId`, `items[]` (`productId`, `quantity`), `reason?`: the fields of a JSON Schema object. */
function fields(schema: JsonSchema): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  return Object.entries(properties)
    .map(([key, property]) => {
      const name = `\`${key}${property.type === 'array' ? '[]' : ''}${required.includes(key) ? '' : '?'}\``;
      const inner = property.type === 'array' ? (property.items as JsonSchema) : property;
      return inner.type === 'object' && inner.properties ? `${name} (${fields(inner)})` : name;
    })
    .join(', ');
}

const list = (names: readonly string[]) => (names.length ? names.join(', ') : '—');

/** The markdown table of every event: name, meaning, who emits it, who reacts, its data's fields. */
export function eventTable(consumers: Consumers): string {
  const rows = eventNames.map((name) => {
    const { description, producers } = eventInfo(name);
    return `| \`${name}\` | ${description} | ${list(producers)} | ${list(consumers[name] ?? [])} | ${fields(eventDataSchema(name))} |`;
  });
  return ['| event | meaning | emitted by | reacting functions (`topic`) | data |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The markdown table of the order saga's steps, and its timeout. */
export function sagaTable(): string {
  const code = (names: readonly string[]) => (names.length ? names.map((n) => `\`${n}\``).join(', ') : '—');
  const rows = orderSaga.map((s, i) => `| ${i + 1} | \`${s.on}\` | ${s.fn} | ${s.does} | ${code(s.emits)} | ${s.compensation} |`);
  const timeout = `| — | schedule | ${sagaTimeout.fn} | ${sagaTimeout.does} | ${code(sagaTimeout.emits)} | the steps above, as for any order |`;
  return ['| step | reacts to | function | does | emits | compensation |', '| --- | --- | --- | --- | --- | --- |', ...rows, timeout].join('\n');
}

/** Replaces what stands between `<!-- <name>:begin … -->` and `<!-- <name>:end -->` with each section. */
export function withSections(markdown: string, sections: Record<string, string>): string {
  let text = markdown;
  for (const [name, body] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- ${name}:begin[^>]*-->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!pattern.test(text)) throw new Error(`no <!-- ${name}:begin --> … <!-- ${name}:end --> markers`);
    text = text.replace(pattern, (_, begin: string, end: string) => `${begin}\n${body}\n${end}`);
  }
  return text;
}

/** The generated sections of docs/architecture.md. */
export const architectureSections = (consumers: Consumers) => ({ events: eventTable(consumers), saga: sagaTable() });

/**
 * The events as OpenAPI 3.1 `webhooks`: what the connector POSTs to each reacting function
 * (`/function/<name>`, internal), the envelope with the event's data schema.
 */
export function eventWebhooks(consumers: Consumers) {
  return Object.fromEntries(
    eventNames.map((name) => {
      const { description, producers } = eventInfo(name);
      const reacting = consumers[name] ?? [];
      return [
        name,
        {
          post: {
            summary: description,
            description:
              `Emitted by ${list(producers)}; ${reacting.length ? `delivered to ${reacting.join(', ')}` : 'no function reacts to it yet'}. ` +
              'Published to the topic exchange `shop.events` with the type as routing key, at least once; the connector POSTs it to ' +
              '`/function/<name>` of each reacting function with `X-Topic`, `X-Event-Id`, `X-Call-Id` and `X-Internal-Token`.',
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      id: { type: 'string', description: 'Unique per event; the message id' },
                      type: { type: 'string', const: name, description: 'The event, as the routing key names it' },
                      occurredAt: { type: 'string', format: 'date-time', description: 'When the change was stored (ISO 8601, UTC)', examples: ['2026-11-29T10:00:00.000Z'] },
                      data: eventDataSchema(name),
                      callId: { type: 'string', description: 'The call that stored it' },
                    },
                    required: ['id', 'type', 'occurredAt', 'data'],
                  },
                },
              },
            },
            responses: { '200': { description: 'Handled, now or before (a redelivery)' } },
            'x-producers': producers,
            'x-consumers': reacting,
          },
        },
      ];
    }),
  );
}
