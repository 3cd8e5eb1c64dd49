import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { overlaps, type DeliveryZone } from '#domain/delivery/zone.js';
import type { Order } from '#domain/orders/order.js';
import type { Store } from '#domain/store.js';

const id = () => randomBytes(12).toString('hex');
const at = new Date(Date.UTC(2026, 0, 1));

const aZone = (fields: Partial<DeliveryZone> = {}): DeliveryZone => ({
  id: id(), name: 'Centre', postcodes: ['10115'], feeCents: 399, minimumOrderCents: 2000, freeOverCents: 6000,
  timetable: [{ weekday: 1, start: '11:00', end: '15:00', capacity: 5 }], closedDays: ['2026-12-25'],
  capacityOverrides: [{ date: '2026-12-24', capacity: 2 }, { date: '2026-12-23', start: '11:00', capacity: 1 }], createdAt: at, updatedAt: at, ...fields,
});

/** What the domain's admit does: refuse a zone whose postcodes clash with another's. */
const refuse = (zone: DeliveryZone) => (others: DeliveryZone[]) => {
  if (overlaps(zone.postcodes, others).length) throw Object.assign(new Error('overlap'), { code: 'ZONE_OVERLAP' });
};

/** What every ZoneRepository and SlotRepository must do; each adapter runs it on fresh storage. */
export function deliveryContract(t: Test, open: () => Promise<Store>) {
  let store: Store;
  t.beforeEach(async () => {
    store = await open();
  });
  t.afterEach(() => store.close());

  t.test('zones: create, read, list by name, update, delete, exactly as stored', async (t) => {
    const centre = aZone();
    t.same(await store.zones.create(centre, refuse(centre)), centre);
    t.same(await store.zones.findById(centre.id), centre);
    const { freeOverCents: _free, ...plain } = aZone({ name: 'airport', postcodes: ['2*'], timetable: [], closedDays: [], capacityOverrides: [] });
    await store.zones.create(plain, refuse(plain));
    t.same((await store.zones.list()).map((z) => z.name), ['airport', 'Centre'], 'by name, in any letter case');
    const changed = await store.zones.update(centre.id, (current, others) => {
      t.same(others.map((o) => o.id), [plain.id], 'the others, without itself');
      const { freeOverCents: _f, ...rest } = current;
      return { ...rest, feeCents: 0, updatedAt: new Date(at.getTime() + 1000) };
    });
    t.same(changed, await store.zones.findById(centre.id));
    t.equal(changed!.freeOverCents, undefined, 'a removed free-over threshold is gone');
    t.equal(await store.zones.update('no-such-zone', (z) => z), null);
    const cash = aZone({ name: 'Cash only', postcodes: ['3*'], paymentMethods: ['cash_on_delivery'] });
    t.same(await store.zones.create(cash, refuse(cash)), cash);
    t.same(await store.zones.findById(cash.id), cash, 'its payment methods kept');
    const both = await store.zones.update(cash.id, (current) => ({ ...current, paymentMethods: ['card', 'cash_on_delivery'] }));
    t.same((await store.zones.findById(cash.id))?.paymentMethods, ['card', 'cash_on_delivery']);
    t.same(both?.paymentMethods, ['card', 'cash_on_delivery']);
    t.equal(await store.zones.delete(centre.id), true);
    t.equal(await store.zones.delete(centre.id), false);
    t.equal(await store.zones.findById('no-such-zone'), null);
  });

  t.test('100 concurrent zones claiming one postcode, or a prefix over it: exactly one is stored', async (t) => {
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const zone = aZone({ name: `z${i}`, postcodes: [i % 2 ? '55*' : '5501'] });
        return store.zones.create(zone, refuse(zone)).then(
          () => 'created',
          (error: { code?: string }) => error.code,
        );
      }),
    );
    t.equal(outcomes.filter((o) => o === 'created').length, 1);
    t.equal(outcomes.filter((o) => o === 'ZONE_OVERLAP').length, 99);
    t.equal((await store.zones.list()).length, 1);
  });

  t.test('slot holds racing: exactly the capacity, once per order, given back once', async (t) => {
    const slot = `${id()}-20261221-1100`;
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => store.slots.hold(slot, 'z1', `o${i}`, 5)));
    t.equal(outcomes.filter(Boolean).length, 5);
    t.same(await store.slots.taken([slot, 'no-such-slot']), { [slot]: 5 });
    const holder = `o${outcomes.indexOf(true)}`;
    t.equal(await store.slots.hold(slot, 'z1', holder, 5), true, 'again: already held');
    t.equal(await store.slots.hold(slot, 'z1', holder, 0), true, 'held even once the capacity went down');
    t.same(await store.slots.taken([slot]), { [slot]: 5 }, 'counted once');
    t.equal(await store.slots.release(slot, holder), true);
    t.equal(await store.slots.release(slot, holder), false, 'given back once');
    t.equal(await store.slots.release(slot, 'never'), false);
    t.same(await store.slots.taken([slot]), { [slot]: 4 });
    t.equal(await store.slots.hold(slot, 'z1', 'late', 4), false, 'a lowered capacity counts');
    t.equal(await store.slots.hold(slot, 'z1', 'late', 5), true);
  });

  t.test("an order's delivery is stored, and a slot's orders are listed", async (t) => {
    const slotId = `${id()}-20261221-1100`;
    const order = (fields: Partial<Order> = {}): Order => ({
      id: id(), userId: 'ann', status: 'pending',
      items: [{ productId: 'p1', name: 'Rice', by: 'piece', unitPriceCents: 1000, quantity: 2, lineTotalCents: 2000, ifUnavailable: 'none' }],
      subtotalCents: 2000, deliveryFeeCents: 399, totalCents: 2399, currency: 'USD', address: { postalCode: '10115', country: 'DE' },
      delivery: { zone: { id: 'z1', name: 'Centre' }, slot: { id: slotId, start: new Date('2026-12-21T10:00:00Z'), end: new Date('2026-12-21T14:00:00Z') } },
      history: [{ status: 'pending', at, by: 'ann' }], createdAt: at, updatedAt: at, ...fields,
    });
    const first = order();
    await store.orders.create(first, { key: 'k1', requestHash: 'h' }, []);
    t.same(await store.orders.findById(first.id), first, 'exactly as stored');
    const other = order({ delivery: { zone: { id: 'z1', name: 'Centre' } } });
    await store.orders.create(other, { key: 'k2', requestHash: 'h' }, []);
    t.same(await store.orders.findById(other.id), other, 'a zone without a slot');
    const page = await store.orders.list({ slotId }, 0, 10);
    t.same([page.items.map((o) => o.id), page.total], [[first.id], 1]);
  });
}
