import { DateTime } from 'luxon';
import type { DeliveryZone, TimetableSlot } from './zone.js';

/** How slots are laid out: the shop's time zone and how long before its start a slot closes. */
export interface SlotSettings {
  /** IANA name, such as Europe/Berlin: timetables are wall-clock times there. */
  timezone: string;
  /** A slot takes orders until this many minutes before it starts. */
  cutoffMinutes: number;
}

export type SlotStatus = 'open' | 'full' | 'closed';

/** One dated slot of a zone's timetable. */
export interface Slot {
  /** `<zone id>-<yyyyMMdd>-<HHmm>`: the zone, the day and the start, so it needs no storage until an order takes it. */
  id: string;
  zoneId: string;
  date: string;
  start: Date;
  end: Date;
  capacity: number;
  /** A closed day (holiday) of the zone. */
  closedDay: boolean;
}

const SLOT_ID = /^([A-Za-z0-9_]{1,40})-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})$/;

export const slotId = (zoneId: string, date: string, start: string) => `${zoneId}-${date.replaceAll('-', '')}-${start.replace(':', '')}`;

/** The zone, day and start a slot id names, or null for one that is no slot id at all. */
export function parseSlotId(id: string): { zoneId: string; date: string; start: string } | null {
  const m = SLOT_ID.exec(id);
  return m ? { zoneId: m[1], date: `${m[2]}-${m[3]}-${m[4]}`, start: `${m[5]}:${m[6]}` } : null;
}

/** A wall-clock time of a day in the shop's zone as an instant; luxon moves a time a DST change skips forward. */
const instant = (date: string, time: string, timezone: string) => DateTime.fromISO(`${date}T${time}`, { zone: timezone });

function dated(zone: DeliveryZone, date: string, entry: TimetableSlot, timezone: string): Slot {
  const override =
    zone.capacityOverrides.find((o) => o.date === date && o.start === entry.start) ?? zone.capacityOverrides.find((o) => o.date === date && !o.start);
  return {
    id: slotId(zone.id, date, entry.start),
    zoneId: zone.id,
    date,
    start: instant(date, entry.start, timezone).toJSDate(),
    end: instant(date, entry.end, timezone).toJSDate(),
    capacity: override?.capacity ?? entry.capacity,
    closedDay: zone.closedDays.includes(date),
  };
}

/** Today in the shop's time zone, `YYYY-MM-DD`. */
export const today = (now: Date, timezone: string) => DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;

/** The zone's slots of `days` days from `from` (`YYYY-MM-DD` in the shop's zone), by start. */
export function slotsOf(zone: DeliveryZone, from: string, days: number, { timezone }: SlotSettings): Slot[] {
  const first = DateTime.fromISO(from, { zone: timezone });
  const slots: Slot[] = [];
  for (let d = 0; d < days; d++) {
    const day = first.plus({ days: d });
    const date = day.toISODate()!;
    for (const entry of zone.timetable) if (entry.weekday === day.weekday) slots.push(dated(zone, date, entry, timezone));
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The slot an id names in the zone's timetable as it is now, or null (another zone, no such slot). */
export function findSlot(zone: DeliveryZone, id: string, { timezone }: SlotSettings): Slot | null {
  const parsed = parseSlotId(id);
  if (!parsed || parsed.zoneId !== zone.id) return null;
  const day = DateTime.fromISO(parsed.date, { zone: timezone });
  if (!day.isValid) return null;
  const entry = zone.timetable.find((e) => e.weekday === day.weekday && e.start === parsed.start);
  return entry ? dated(zone, parsed.date, entry, timezone) : null;
}

/** Whether the slot still takes orders at `now`: not a closed day, and before its cut-off. */
export const orderable = (slot: Slot, now: Date, { cutoffMinutes }: SlotSettings) =>
  !slot.closedDay && now.getTime() < slot.start.getTime() - cutoffMinutes * 60_000;

/** Open, full or closed, with the places left. */
export function slotState(slot: Slot, taken: number, now: Date, settings: SlotSettings): { left: number; status: SlotStatus } {
  const left = Math.max(0, slot.capacity - taken);
  return { left, status: !orderable(slot, now, settings) ? 'closed' : left === 0 ? 'full' : 'open' };
}
