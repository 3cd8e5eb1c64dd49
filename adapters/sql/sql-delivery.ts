import type { DeliveryZone, SlotRepository, ZoneRepository } from '#domain/delivery/zone.js';
import type { SqlClient, SqlDatabase } from './sql-database.js';

interface ZoneRow {
  id: string;
  name: string;
  settings: Omit<DeliveryZone, 'id' | 'name' | 'createdAt' | 'updatedAt'>;
  created_at: Date;
  updated_at: Date;
}

const toZone = (r: ZoneRow): DeliveryZone => ({
  id: r.id,
  name: r.name,
  postcodes: r.settings.postcodes,
  feeCents: r.settings.feeCents,
  minimumOrderCents: r.settings.minimumOrderCents,
  ...(r.settings.freeOverCents !== undefined && r.settings.freeOverCents !== null ? { freeOverCents: r.settings.freeOverCents } : {}),
  ...(r.settings.paymentMethods ? { paymentMethods: [...r.settings.paymentMethods] } : {}),
  timetable: r.settings.timetable ?? [],
  closedDays: r.settings.closedDays ?? [],
  capacityOverrides: r.settings.capacityOverrides ?? [],
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const settingsOf = ({ id: _id, name: _name, createdAt: _c, updatedAt: _u, ...settings }: DeliveryZone) => JSON.stringify(settings);

// Every write of zones takes it: the overlap check of one sees every other committed before it.
const ZONES_LOCK = `pg_advisory_xact_lock(hashtext('delivery-zones'))`;

const all = (tx: SqlClient) => tx.query<ZoneRow>('SELECT * FROM delivery_zones ORDER BY lower(name), id');

/** Delivery zones: one row each, the postcodes and timetable in a jsonb column. */
export function sqlZones(db: SqlDatabase): ZoneRepository {
  return {
    create(zone, admit) {
      return db.transaction(async (tx) => {
        await tx.query(`SELECT ${ZONES_LOCK}`);
        admit((await all(tx)).map(toZone));
        const [row] = await tx.query<ZoneRow>(
          'INSERT INTO delivery_zones (id, name, settings, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
          [zone.id, zone.name, settingsOf(zone), zone.createdAt, zone.updatedAt],
        );
        return toZone(row);
      });
    },

    update(id, change) {
      return db.transaction(async (tx) => {
        await tx.query(`SELECT ${ZONES_LOCK}`);
        const zones = (await all(tx)).map(toZone);
        const current = zones.find((z) => z.id === id);
        if (!current) return null;
        const next = change(current, zones.filter((z) => z.id !== id));
        const [row] = await tx.query<ZoneRow>('UPDATE delivery_zones SET name = $2, settings = $3, updated_at = $4 WHERE id = $1 RETURNING *', [
          id,
          next.name,
          settingsOf(next),
          next.updatedAt,
        ]);
        return toZone(row);
      });
    },

    async delete(id) {
      return (await db.query('DELETE FROM delivery_zones WHERE id = $1 RETURNING id', [id])).length > 0;
    },

    async findById(id) {
      const [row] = await db.query<ZoneRow>('SELECT * FROM delivery_zones WHERE id = $1', [id]);
      return row ? toZone(row) : null;
    },

    list: async () => (await all(db)).map(toZone),
  };
}

/** Places in delivery slots: one row per slot once an order takes it, the orders noted in `holds`. */
export function sqlSlots(db: SqlDatabase): SlotRepository {
  return {
    async hold(slotId, zoneId, orderId, capacity) {
      await db.query(`INSERT INTO delivery_slots (id, zone_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [slotId, zoneId]);
      // One conditional write: counted in only while there is room, and only once per order.
      const taken = await db.query(
        `UPDATE delivery_slots SET taken = taken + 1, holds = holds || jsonb_build_object($2::text, 1)
         WHERE id = $1 AND taken < $3 AND NOT holds ? $2 RETURNING id`,
        [slotId, orderId, capacity],
      );
      if (taken.length) return true;
      const [row] = await db.query<{ held: boolean }>('SELECT holds ? $2 AS held FROM delivery_slots WHERE id = $1', [slotId, orderId]);
      return row?.held ?? false;
    },

    async release(slotId, orderId) {
      const given = await db.query(`UPDATE delivery_slots SET taken = taken - 1, holds = holds - $2 WHERE id = $1 AND holds ? $2 RETURNING id`, [
        slotId,
        orderId,
      ]);
      return given.length > 0;
    },

    async taken(slotIds) {
      if (!slotIds.length) return {};
      const rows = await db.query<{ id: string; taken: number }>('SELECT id, taken FROM delivery_slots WHERE id = ANY($1)', [slotIds]);
      return Object.fromEntries(rows.map((r) => [r.id, r.taken]));
    },
  };
}
