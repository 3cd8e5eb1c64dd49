import { isDeepStrictEqual } from 'node:util';
import { eventCatalog, isEventName } from '#domain/events.js';
import type { DomainEvent } from '#domain/ports.js';

/**
 * What is wrong with an event against the catalog (domain/events.ts), or null: an unknown type,
 * data its schema refuses, or a field the schema does not name (parsing would drop it).
 */
export function eventProblem(event: DomainEvent): string | null {
  if (!isEventName(event.type)) return `${event.type}: not an event of the catalog`;
  const parsed = eventCatalog[event.type].safeParse(event.data);
  if (!parsed.success) return `${event.type}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ')}`;
  if (!isDeepStrictEqual(parsed.data, event.data)) return `${event.type}: fields the catalog does not name in ${JSON.stringify(event.data)}`;
  if (typeof event.id !== 'string' || !event.id || Number.isNaN(Date.parse(event.occurredAt))) return `${event.type}: a malformed envelope`;
  return null;
}
