import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { DomainEvent } from '#domain/ports.js';
import { defineFunction } from './define-function.js';
import type { Deps } from './deps.js';

// Redeliveries come within the retry delays (minutes); a week of memory is plenty.
const HANDLED_TTL_SECONDS = 7 * 24 * 3600;

export interface EventContext<D> {
  event: DomainEvent<D>;
  callId: string;
  log: FastifyBaseLogger;
  deps: Deps;
}

/** What an event-driven function answers: the event, and whether it was handled now or before. */
export const eventAnswer = z.object({ event: z.string(), handled: z.enum(['now', 'before']) });

/**
 * A function triggered by an event through the connector (stack.yml: annotation `topic`): the
 * event envelope (domain/events.ts) in, one domain call, 200 out. Delivery is at least once, so each handled
 * event id is recorded per function: a redelivered event is a no-op that still answers 200.
 *
 * The record is written after the handler succeeds, so a handler MUST be safe to run again and
 * to run twice at once for one event (a redelivery while the first run still goes on, or after
 * a crash mid-run): every saga step is, through conditional writes. There is deliberately no
 * "running" guard: a guard that outlives a killed process holds back the redelivered event until
 * it expires (orders stayed pending for minutes after a crash), and one short enough not to
 * would not keep two runs apart anyway.
 */
export function defineEventHandler<D extends z.ZodType>({
  summary,
  data,
  handler,
}: {
  /** One line for the API reference: what the function does with the event. */
  summary: string;
  data: D;
  handler(context: EventContext<z.output<D>>): Promise<void>;
}) {
  return defineFunction({
    method: 'POST',
    access: 'internal',
    summary,
    response: eventAnswer,
    body: z.object({
      id: z.string().min(1).max(128),
      type: z.string().min(1).max(128),
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
