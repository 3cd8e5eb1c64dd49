import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { DomainEvent } from '#domain/ports.js';
import { defineFunction } from './define-function.js';
import type { Deps } from './deps.js';
import { HttpError } from './errors.js';

// Redeliveries come within the retry delays (minutes); a week of memory is plenty.
const HANDLED_TTL_SECONDS = 7 * 24 * 3600;
// Longer than any call may run: a process that died mid-event frees it for a retry after this.
const RUNNING_TTL_SECONDS = 120;

export interface EventContext<D> {
  event: DomainEvent<D>;
  callId: string;
  log: FastifyBaseLogger;
  deps: Deps;
}

/**
 * A function triggered by an event through the connector (stack.yml: annotation `topic`): the
 * envelope of API.md in, one domain call, 200 out. Delivery is at least once, so each handled
 * event id is recorded per function: a redelivered event is a no-op that still answers 200, and
 * a copy arriving while the first is being handled is asked to come back later (503).
 * The handler itself should still be idempotent (the record is written after it succeeds).
 */
/** What an event-driven function answers: the event, and whether it was handled now or before. */
export const eventAnswer = z.object({ event: z.string(), handled: z.enum(['now', 'before']) });

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
    errors: { 503: 'UNAVAILABLE (the event is being handled right now: try again)' },
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
      const running = `events:running:${name}:${body.id}`;
      if (!(await deps.kv.set(running, '1', { ifAbsent: true, ttlSeconds: RUNNING_TTL_SECONDS }))) {
        throw new HttpError('UNAVAILABLE', 'This event is being handled right now; try again later');
      }
      try {
        await handler({ event: body as DomainEvent<z.output<D>>, callId, log, deps });
        await deps.kv.set(handled, '1', { ttlSeconds: HANDLED_TTL_SECONDS });
      } finally {
        await deps.kv.delete(running);
      }
      return { event: body.id, handled: 'now' as const };
    },
  });
}
