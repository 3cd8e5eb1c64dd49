import t from 'tap';
import { findSlot, parseSlotId, slotId, slotsOf, slotState } from '#domain/delivery/slots.js';
import { entriesOverlap, normalisePostcode, priceDelivery, zoneOf, type DeliveryZone } from '#domain/delivery/zone.js';

const at = new Date('2026-01-01T00:00:00Z');
const zone = (fields: Partial<DeliveryZone> = {}): DeliveryZone => ({
  id: 'z1', name: 'Centre', postcodes: ['10115', '102*'], feeCents: 399, minimumOrderCents: 2000,
  timetable: [], closedDays: [], capacityOverrides: [], createdAt: at, updatedAt: at, ...fields,
});
const berlin = { timezone: 'Europe/Berlin', cutoffMinutes: 120 };

t.test('postcodes: exact codes and prefixes, normalised, overlapping as one postcode could fall under both', async (t) => {
  t.equal(normalisePostcode(' sw1a 1aa'), 'SW1A1AA');
  t.ok(entriesOverlap('10115', '10115'));
  t.notOk(entriesOverlap('10115', '10116'));
  t.ok(entriesOverlap('101*', '10115'), 'an exact code under a prefix');
  t.ok(entriesOverlap('10115', '101*'));
  t.ok(entriesOverlap('10*', '101*'), 'a prefix under a prefix');
  t.notOk(entriesOverlap('101*', '102*'));
  t.notOk(entriesOverlap('1011*', '101'), 'a shorter exact code is not under a longer prefix');
  t.equal(zoneOf([zone()], '102 99')?.id, 'z1');
  t.equal(zoneOf([zone()], '10116'), null);
});

t.test('fees: free over a subtotal, and what is missing to the minimum', async (t) => {
  t.same(priceDelivery(zone({ freeOverCents: 5000 }), 1500), { feeCents: 399, minimumOrderCents: 2000, missingCents: 500 });
  t.same(priceDelivery(zone({ freeOverCents: 5000 }), 5000), { feeCents: 0, minimumOrderCents: 2000, missingCents: 0 });
  t.same(priceDelivery(null, 100), { feeCents: 0, minimumOrderCents: 0, missingCents: 0 }, 'no zones: free, no minimum');
});

t.test('slots are wall-clock times of the shop, across daylight-saving changes', async (t) => {
  const z = zone({ timetable: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '11:00', end: '15:00', capacity: 5 })) });
  const slots = slotsOf(z, '2026-03-28', 3, berlin);
  t.same(
    slots.map((s) => [s.date, s.start.toISOString(), s.end.toISOString()]),
    [
      ['2026-03-28', '2026-03-28T10:00:00.000Z', '2026-03-28T14:00:00.000Z'],
      ['2026-03-29', '2026-03-29T09:00:00.000Z', '2026-03-29T13:00:00.000Z'],
      ['2026-03-30', '2026-03-30T09:00:00.000Z', '2026-03-30T13:00:00.000Z'],
    ],
    'CET, then CEST from 29 March',
  );
  const autumn = slotsOf(z, '2026-10-25', 1, berlin)[0];
  t.equal(autumn.start.toISOString(), '2026-10-25T10:00:00.000Z', 'back to CET on 25 October');
});

t.test('slot ids name zone, day and start; closed days, overrides, cut-off', async (t) => {
  const z = zone({
    timetable: [{ weekday: 1, start: '11:00', end: '15:00', capacity: 5 }, { weekday: 1, start: '17:00', end: '19:00', capacity: 3 }],
    closedDays: ['2026-12-28'],
    capacityOverrides: [{ date: '2026-12-21', capacity: 2 }, { date: '2026-12-21', start: '17:00', capacity: 1 }],
  });
  const id = slotId('z1', '2026-12-21', '11:00');
  t.equal(id, 'z1-20261221-1100');
  t.same(parseSlotId(id), { zoneId: 'z1', date: '2026-12-21', start: '11:00' });
  t.equal(parseSlotId('nonsense'), null);
  t.same(slotsOf(z, '2026-12-21', 1, berlin).map((s) => s.capacity), [2, 1], "one day's capacity, one slot's above it");
  t.equal(findSlot(z, 'z1-20261222-1100', berlin), null, 'no slot that Tuesday');
  t.equal(findSlot(z, 'z2-20261221-1100', berlin), null, 'another zone');
  const closed = findSlot(z, 'z1-20261228-1100', berlin)!;
  t.equal(slotState(closed, 0, at, berlin).status, 'closed', 'a closed day');
  const slot = findSlot(z, id, berlin)!;
  t.same(slotState(slot, 1, new Date(slot.start.getTime() - 121 * 60_000), berlin), { left: 1, status: 'open' });
  t.same(slotState(slot, 1, new Date(slot.start.getTime() - 119 * 60_000), berlin), { left: 1, status: 'closed' }, '120 minutes before it starts');
  t.same(slotState(slot, 2, at, berlin), { left: 0, status: 'full' });
});
