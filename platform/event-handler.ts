import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { eventCatalog, type CatalogEvent, type EventName } from '#domain/events.js';
import type { DomainEvent } from '#domain/ports.js';
import { defineFunction, type FunctionDefinition } from './define-function.js';
import type { Deps } from './deps.js';

// Redeliveries come within the retry delays (minutes); a week of memory is plenty.
export const HANDLED_TTL_SECONDS = 7 * 24 * 3600;

export interface EventContext<E extends DomainEvent> {
  event: E;
  callId: string;
  log: FastifyBaseLogger;
  deps: Deps;
}

/** What an event-driven function answers: the event, and whether it was handled now or before. */
export const eventAnswer = z.object({ event: z.string(), handled: z.enum(['now', 'before']) });

/**
 * A function triggered by an event of the catalog (domain/events.ts) through the connector:
 * stack.yml gives it the annotation `topic: <on>` (test/stack.test.ts holds the two equal). The
 * envelope in, checked against the event's schema in the catalog, one domain call, 200 out.
 * Delivery is at least once, so each handled event id is recorded per function: a redelivered
 * event is a no-op that still answers 200.
 *
 * The record is written after the handler succeeds, so a handler MUST be safe to run again and
 * to run twice at once for one event (a redelivery while the first run still goes on, or after
 * a crash mid-run): every saga step is, through conditional writes. There is deliberately no
 * "running" guard: a guard that outlives a killed process holds back the redelivered event until
 * it expires (orders stayed pending for minutes after a crash), and one short enough not to
 * would not keep two runs apart anyway.
 */
export function defineEventHandler<N extends EventName>({
  on,
  summary,
  handler,
}: {
  /** The event it reacts to: stack.yml's `topic` annotation names the same. */
  on: N;
  /** One line for the API reference: what the function does with the event. */
  summary: string;
  handler(context: EventContext<CatalogEvent<N>>): Promise<void>;
}): FunctionDefinition {
  const definition = defineEventFunction({
    type: z.literal(on),
    data: eventCatalog[on] as z.ZodType,
    summary,
    handler: (context) => handler(context as EventContext<CatalogEvent<N>>),
  });
  return { ...definition, on };
}

/**
 * The same for events outside the catalog, with a schema of their own: only for test fixtures
 * (test/fixtures/events). The shop's functions use defineEventHandler.
 */
export function defineEventFunction<D extends z.ZodType>({
  type = z.string().min(1).max(128),
  summary,
  data,
  handler,
}: {
  type?: z.ZodType<string>;
  summary: string;
  data: D;
  handler(context: EventContext<DomainEvent<z.output<D>>>): Promise<void>;
}) {
  return defineFunction({
    method: 'POST',
    access: 'internal',
    summary,
    response: eventAnswer,
    body: z.object({
      id: z.string().min(1).max(128),
      type,
      occurredAt: z.string(),
      data,
      callId: z.string().max(128).optional(),
    }),
    handler: async ({ body, name, callId, log, deps }) => {
      const handled = `events:handled:${name}:${body.id}`;
      if (await deps.kv.get(handled)) return { event: body.id, handled: 'before' as const };
      await handler({ event: body as DomainEvent<z.output<D>>, callId, log, deps });
      await deps.kv.set(handled, '1', { ttlSeconds: HANDLED_TTL_SECONDS });
      return { event: body.id, handled: 'now' as const };
    },
  });
}
