import type { CallMeta, Clock, DomainEvent, IdGenerator } from './ports.js';

/** Builds the event envelope (id, type, occurredAt, data, callId); it is stored with the change and published later. */
export const eventFactory =
  (ids: IdGenerator, clock: Clock) =>
  <T>(type: string, data: T, meta: CallMeta = {}): DomainEvent<T> => ({
    id: ids(),
    type,
    occurredAt: clock.now().toISOString(),
    data,
    ...(meta.callId ? { callId: meta.callId } : {}),
  });

export type EventFactory = ReturnType<typeof eventFactory>;
