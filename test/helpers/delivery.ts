import { randomBytes } from 'node:crypto';
import type { Shop } from './shop.js';

/** `YYYY-MM-DD`, `days` from today (UTC: the delivery suites run the shop with SHOP_TIMEZONE=UTC). */
export const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A postcode stem nobody else in this process uses: zones of one shop never overlap by chance. */
let stems = 0;
export const stem = () => `${(++stems).toString().padStart(2, '0')}${randomBytes(2).toString('hex').toUpperCase()}`;

/** Every weekday, one slot 11:00–15:00 of `capacity`. */
export const everyDay = (capacity: number) => Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, start: '11:00', end: '15:00', capacity }));

/** Admin calls of the delivery functions. */
export function deliveryAdmin(shop: Shop, admin: string) {
  return {
    async zone(body: Record<string, unknown>, timetable?: Record<string, unknown>) {
      const created = await shop.call('POST', '/api/admin/delivery-zones', { token: admin, body: { feeCents: 0, minimumOrderCents: 0, ...body } });
      if (created.status !== 201) throw new Error(`zone: ${created.text}`);
      if (timetable) {
        const set = await shop.call('PUT', `/api/admin/delivery-zones/${created.body.zone.id}/timetable`, { token: admin, body: timetable });
        if (set.status !== 200) throw new Error(`timetable: ${set.text}`);
      }
      return created.body.zone as { id: string; name: string; postcodes: string[] };
    },
    async slots(postalCode: string, from: string, days = 1) {
      const answer = await shop.call('GET', `/api/delivery/slots?postalCode=${encodeURIComponent(postalCode)}&from=${from}&days=${days}`);
      if (answer.status !== 200) throw new Error(`slots: ${answer.text}`);
      return answer.body.items as { id: string; date: string; start: string; end: string; capacity: number; left: number; status: string }[];
    },
  };
}
