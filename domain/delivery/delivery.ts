import { DomainError, notFound } from '../errors.js';
import type { OrderAddress } from '../orders/order.js';
import type { DeliveryTerms } from '../orders/placing.js';
import { paymentMethods } from '../payments/provider.js';
import type { Clock, IdGenerator } from '../ports.js';
import type { NewZone, Timetable, ZoneChange } from './inputs.js';
import { findSlot, orderable, parseSlotId, slotsOf, slotState, today, type SlotSettings } from './slots.js';
import { overlaps, priceDelivery, zoneOf, type DeliveryZone, type SlotRepository, type ZoneRepository } from './zone.js';

export interface DeliveryDeps {
  zones: ZoneRepository;
  slots: SlotRepository;
  settings: SlotSettings;
  clock: Clock;
  ids: IdGenerator;
  /** Whether the shop takes cards now (a Stripe key is set). */
  cardsOffered?: boolean;
}

const publicZone = (z: DeliveryZone) => ({ ...z, createdAt: z.createdAt.toISOString(), updatedAt: z.updatedAt.toISOString() });
const named = (z: DeliveryZone | null) => (z ? { id: z.id, name: z.name } : null);

function refuseOverlap(postcodes: string[], others: DeliveryZone[]) {
  const clashes = overlaps(postcodes, others);
  if (clashes.length) {
    throw new DomainError(
      'ZONE_OVERLAP',
      `${clashes[0].postcode} is already delivered by ${clashes[0].zone.name} (${clashes[0].theirs})`,
      clashes.slice(0, 20),
    );
  }
}

/**
 * Where, when and at what fee the shop delivers: zones, their slots, the quote for a postcode,
 * and the checks place-order makes. While no zone exists the shop delivers anywhere, free, and
 * without slots, as it did before zones existed.
 */
export function createDelivery({ zones, slots, settings, clock, ids, cardsOffered = false }: DeliveryDeps) {
  async function zoneFor(postalCode: string | undefined) {
    const all = await zones.list();
    if (!all.length) return { zone: null, any: false };
    return { zone: postalCode ? zoneOf(all, postalCode) : null, any: true };
  }

  /** The zone of a postcode, or OUTSIDE_DELIVERY_AREA; null while the shop has no zones. */
  async function servingZone(postalCode: string | undefined) {
    const { zone, any } = await zoneFor(postalCode);
    if (any && !zone) throw new DomainError('OUTSIDE_DELIVERY_AREA', `We do not deliver to ${postalCode ?? 'an address without a postcode'}`);
    return zone;
  }

  const quoteOf = (zone: DeliveryZone | null, subtotalCents = 0) => {
    const { feeCents, minimumOrderCents, missingCents } = priceDelivery(zone, subtotalCents);
    return { zone: named(zone), feeCents, minimumOrderCents, ...(zone?.freeOverCents !== undefined ? { freeOverCents: zone.freeOverCents } : {}), missingCents };
  };

  const zoneOrNotFound = async (id: string) => (await zones.findById(id)) ?? Promise.reject(notFound('Delivery zone'));

  return {
    async createZone(input: NewZone) {
      const now = clock.now();
      const zone: DeliveryZone = { id: ids(), ...input, timetable: [], closedDays: [], capacityOverrides: [], createdAt: now, updatedAt: now };
      return { zone: publicZone(await zones.create(zone, (others) => refuseOverlap(zone.postcodes, others))) };
    },

    listZones: async () => ({ items: (await zones.list()).map(publicZone) }),
    getZone: async (id: string) => ({ zone: publicZone(await zoneOrNotFound(id)) }),

    async updateZone(id: string, { freeOverCents, ...change }: ZoneChange) {
      const updated = await zones.update(id, (current, others) => {
        const next: DeliveryZone = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)), updatedAt: clock.now() };
        if (freeOverCents === null) delete next.freeOverCents;
        else if (freeOverCents !== undefined) next.freeOverCents = freeOverCents;
        if (change.postcodes) refuseOverlap(next.postcodes, others);
        return next;
      });
      if (!updated) throw notFound('Delivery zone');
      return { zone: publicZone(updated) };
    },

    /** The weekly slots, closed days and one-day capacities, replaced as a whole. */
    async setTimetable(id: string, input: Timetable) {
      const updated = await zones.update(id, (current) => ({
        ...current,
        timetable: input.slots,
        closedDays: [...new Set(input.closedDays)].sort(),
        capacityOverrides: input.capacityOverrides,
        updatedAt: clock.now(),
      }));
      if (!updated) throw notFound('Delivery zone');
      return { zone: publicZone(updated) };
    },

    /** Orders placed already keep their zone and slot (a snapshot); their places stay counted. */
    async deleteZone(id: string) {
      if (!(await zones.delete(id))) throw notFound('Delivery zone');
    },

    /** GET /api/delivery/quote: the zone of a postcode, its fee, minimum and free-over threshold. */
    async quote(postalCode: string) {
      const zone = await servingZone(postalCode);
      const { missingCents: _missing, ...quote } = quoteOf(zone);
      const offered = (zone?.paymentMethods ?? paymentMethods).filter((m) => m !== 'card' || cardsOffered);
      return { ...quote, slots: Boolean(zone?.timetable.length), paymentMethods: offered };
    },

    /** The cart's delivery to an address: fee, minimum, what is missing to it, and the total. */
    async cartQuote(address: OrderAddress | null, subtotalCents: number) {
      if (!address) throw new DomainError('UNKNOWN_ADDRESS', 'That is not one of your addresses', [{ path: 'query.addressId' }]);
      const quote = quoteOf(await servingZone(address.postalCode), subtotalCents);
      return { ...quote, totalCents: subtotalCents + quote.feeCents };
    },

    /** GET /api/delivery/slots: the zone's slots of the next days, with the places left. */
    async slots(postalCode: string, from: string | undefined, days: number) {
      const zone = await servingZone(postalCode);
      if (!zone) return { zone: null, items: [] };
      const now = clock.now();
      const dated = slotsOf(zone, from ?? today(now, settings.timezone), days, settings);
      const taken = await slots.taken(dated.map((s) => s.id));
      return {
        zone: named(zone),
        items: dated.map((s) => ({
          id: s.id,
          date: s.date,
          start: s.start.toISOString(),
          end: s.end.toISOString(),
          capacity: s.capacity,
          ...slotState(s, taken[s.id] ?? 0, now, settings),
        })),
      };
    },

    /**
     * place-order: the zone, fee and slot of an order, or a clear refusal. Nothing is held here:
     * the saga takes the slot's place with the stock (holdSlot), all or none.
     */
    async terms(address: OrderAddress, subtotalCents: number, slotId: string | undefined): Promise<DeliveryTerms> {
      const zone = await servingZone(address.postalCode);
      if (!zone) {
        if (slotId) throw new DomainError('UNKNOWN_SLOT', 'The shop delivers without slots: send no slotId', [{ path: 'body.slotId' }]);
        return { deliveryFeeCents: 0 };
      }
      const { feeCents, minimumOrderCents, missingCents } = priceDelivery(zone, subtotalCents);
      if (missingCents > 0) {
        throw new DomainError('BELOW_MINIMUM_ORDER', `Orders to ${zone.name} start at ${minimumOrderCents} cents: add ${missingCents} more`, [
          { minimumOrderCents, subtotalCents, missingCents },
        ]);
      }
      const delivery = { zone: { id: zone.id, name: zone.name } };
      const methods = zone.paymentMethods ? { paymentMethods: zone.paymentMethods } : {};
      if (!slotId) {
        if (zone.timetable.length) throw new DomainError('SLOT_REQUIRED', `${zone.name} delivers in slots: choose one (slotId)`, [{ path: 'body.slotId' }]);
        return { deliveryFeeCents: feeCents, delivery, ...methods };
      }
      const parsed = parseSlotId(slotId);
      if (parsed && parsed.zoneId !== zone.id) {
        throw new DomainError('SLOT_NOT_IN_ZONE', `That slot is not one of ${zone.name}, where the address is`, [{ path: 'body.slotId' }]);
      }
      const slot = findSlot(zone, slotId, settings);
      if (!slot) throw new DomainError('UNKNOWN_SLOT', `${zone.name} has no such slot`, [{ path: 'body.slotId' }]);
      const now = clock.now();
      if (!orderable(slot, now, settings)) {
        throw new DomainError('SLOT_CLOSED', 'That slot takes no more orders (a closed day, or past its cut-off)', [{ path: 'body.slotId', start: slot.start.toISOString() }]);
      }
      // Said early when it is full already; the saga's hold decides when several race for the last places.
      const taken = (await slots.taken([slot.id]))[slot.id] ?? 0;
      if (taken >= slot.capacity) throw new DomainError('SLOT_FULL', 'That slot is full: choose another', [{ path: 'body.slotId' }]);
      return { deliveryFeeCents: feeCents, delivery: { ...delivery, slot: { id: slot.id, start: slot.start, end: slot.end } }, ...methods };
    },

    /**
     * The saga (reserve-stock): a place in the slot for the order, once; false when the slot is
     * full, or no longer in its zone's timetable (the zone or the slot was removed, the day closed).
     */
    async holdSlot(slotId: string, orderId: string) {
      const parsed = parseSlotId(slotId);
      const zone = parsed && (await zones.findById(parsed.zoneId));
      const slot = zone && findSlot(zone, slotId, settings);
      const capacity = slot && !slot.closedDay ? slot.capacity : 0;
      return slots.hold(slotId, parsed?.zoneId ?? '', orderId, capacity);
    },

    /** release-stock: the order's place goes back, once. */
    releaseSlot: (slotId: string, orderId: string) => slots.release(slotId, orderId),
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
