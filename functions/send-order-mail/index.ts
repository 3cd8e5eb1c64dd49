import { z } from 'zod';
import { defineEventHandler } from '#platform/event-handler.js';
import { id } from '#domain/schemas.js';
import { logMail } from '#platform/mail-log.js';

/** The kind of mail each event is, by its type; a status change only for shipped and delivered. */
const kindOf = (type: string, to?: string) =>
  ({ 'order.placed': 'placed', 'order.confirmed': 'confirmed', 'order.cancelled': 'cancelled' } as const)[type as 'order.placed'] ??
  (type === 'order.status_changed' && (to === 'shipped' || to === 'delivered') ? to : undefined);

/** order.placed, .confirmed, .cancelled (with the reason in words), shipped and delivered. */
export default defineEventHandler({
  summary: 'order.placed, .confirmed, .cancelled, .status_changed (shipped, delivered): mail the customer',
  data: z.object({ orderId: id, to: z.string().optional(), reason: z.string().optional() }),
  handler: async ({ event, log, deps }) => {
    const kind = kindOf(event.type, event.data.to);
    if (!kind) return;
    logMail(log, await deps.notifications.order({ eventId: event.id }, kind, event.data.orderId, event.data.reason));
  },
});
