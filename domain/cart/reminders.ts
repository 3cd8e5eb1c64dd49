import { createHash } from 'node:crypto';
import type { EventFactory } from '../events.js';
import type { CallMeta, Clock, KeyValueStore, Outbox } from '../ports.js';
import type { UserRepository } from '../users/user.js';
import type { CartStore, ProductLookup } from './cart.js';

/** Carts idle longer than this are no longer reminded of (a run missed for a week reminds nobody of old carts). */
const LOOK_BACK_MS = 7 * 24 * 3600_000;
/** A reminded cart state is remembered this long (past the look-back, so it is never reminded twice). */
export const REMINDED_TTL_SECONDS = 14 * 24 * 3600;
const PER_RUN = 1000;

export interface CartRemindersDeps {
  carts: CartStore;
  products: ProductLookup;
  users: UserRepository;
  outbox: Outbox;
  kv: KeyValueStore;
  event: EventFactory;
  clock: Clock;
}

/**
 * remind-abandoned-carts: one `cart.abandoned` per cart state (its lines, quantities and
 * versions) for customers who opted in to marketing mail. The state is claimed with a
 * conditional write before the event is stored: two runs at once remind once, and a crash in
 * between costs that one reminder rather than sending it twice.
 */
export function createCartReminders({ carts, products, users, outbox, kv, event, clock }: CartRemindersDeps) {
  return {
    async remind(idleHours: number, meta: CallMeta) {
      const to = new Date(clock.now().getTime() - idleHours * 3600_000);
      const idle = await carts.idle(new Date(to.getTime() - LOOK_BACK_MS), to, PER_RUN);
      let reminded = 0;
      for (const { userId } of idle) {
        const user = await users.findById(userId);
        if (!user?.marketingEmails) continue;
        const lines = await carts.lines(userId);
        if (!lines.length) continue;
        const state = createHash('sha256')
          .update(lines.map((l) => `${l.productId}:${l.quantity}:${l.version}`).join(','))
          .digest('base64url');
        if (!(await kv.set(`cart:reminded:${userId}:${state}`, '1', { ttlSeconds: REMINDED_TTL_SECONDS, ifAbsent: true }))) continue;
        const known = new Map((await products(lines.map((l) => l.productId))).map((p) => [p.id, p]));
        const items = lines.map((l) => ({
          productId: l.productId,
          name: known.get(l.productId)?.name ?? 'a product',
          quantity: l.quantity,
          ...(known.get(l.productId)?.by === 'weight' ? { by: 'weight' as const } : {}),
        }));
        await outbox.add([event('cart.abandoned', { userId, items }, meta)]);
        reminded += 1;
      }
      return { idle: idle.length, reminded };
    },
  };
}

export type CartReminders = ReturnType<typeof createCartReminders>;
