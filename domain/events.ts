import type { z } from 'zod';
import { cartEvents } from './cart/events.js';
import { catalogEvents } from './catalog/events.js';
import { orderEvents } from './orders/events.js';
import { paymentEvents } from './payments/events.js';
import type { CallMeta, Clock, DomainEvent, IdGenerator } from './ports.js';
import { userEvents } from './users/events.js';

/**
 * Every event the shop emits: name → the zod schema of its `data`. Each area declares its own
 * (domain/<area>/events.ts); producers emit through `eventFactory`, consumers read through
 * `defineEventHandler({ on })` (platform/event-handler.ts), and the docs' event table and the
 * API reference's `webhooks` are generated from here, so none of them can name another event or
 * another payload. Adding an event is one line in its area's file.
 */
export const eventCatalog = { ...userEvents, ...catalogEvents, ...cartEvents, ...orderEvents, ...paymentEvents };

export type EventCatalog = typeof eventCatalog;
export type EventName = keyof EventCatalog;
/** The `data` of an event, as its producer builds it and its consumers read it. */
export type EventData<N extends EventName> = z.output<EventCatalog[N]>;
/** An event of the catalog: its envelope with its own type and data. */
export type CatalogEvent<N extends EventName = EventName> = DomainEvent<EventData<N>> & { type: N };

export const eventNames = Object.keys(eventCatalog) as EventName[];
export const isEventName = (name: string): name is EventName => Object.hasOwn(eventCatalog, name);

/** What an event's schema says of it beside the shape: a line on what it means, and who emits it. */
export function eventInfo(name: EventName): { description: string; producers: readonly string[] } {
  const meta = eventCatalog[name].meta();
  return { description: meta?.description ?? '', producers: meta?.producers ?? [] };
}

/**
 * Builds the event envelope `{id, type, occurredAt, data, callId?}`; it is stored with the change
 * and published later. Keyed by the catalog: a misspelt name or a payload of another shape does
 * not compile.
 */
export const eventFactory =
  (ids: IdGenerator, clock: Clock) =>
  <N extends EventName>(type: N, data: EventData<N>, meta: CallMeta = {}): CatalogEvent<N> => ({
    id: ids(),
    type,
    occurredAt: clock.now().toISOString(),
    data,
    ...(meta.callId ? { callId: meta.callId } : {}),
  });

export type EventFactory = ReturnType<typeof eventFactory>;
