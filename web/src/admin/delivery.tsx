/** Delivery zones (postcodes, fee, minimum, free-over) and each zone's weekly timetable of slots. */
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, money, problem, type Zone } from '../api';
import { Field, Notice, RemoveButton, useSubmit } from '../forms';
import { Columns } from '../columns';

const cents = (euros: string) => Math.round(Number(euros || 0) * 100);
const postcodes = (text: string) => text.split(/[\s,]+/).filter(Boolean);
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function Delivery() {
  const [zones, setZones] = useState<Zone[] | null>(null);
  const load = () => void api.GET('/api/admin/delivery-zones').then(({ data }) => setZones(data?.items ?? []));
  useEffect(load, []);
  const create = useSubmit(
    ({ name, codes, fee, minimum, freeOver }) =>
      api.POST('/api/admin/delivery-zones', {
        body: { name, postcodes: postcodes(codes), feeCents: cents(fee), minimumOrderCents: cents(minimum), freeOverCents: freeOver ? cents(freeOver) : undefined },
      }),
    (_data, form) => (form.reset(), load()),
  );
  const errors = { ...create.errors, codes: create.errors.postcodes, fee: create.errors.feeCents, minimum: create.errors.minimumOrderCents, freeOver: create.errors.freeOverCents };
  return (
    <section>
      <h1>Delivery</h1>
      <p>With no zone the shop delivers anywhere, free, without slots. Once a zone exists, only its postcodes are delivered to.</p>
      {zones?.map((zone) => <ZoneEditor key={zone.id} zone={zone} onChange={load} />)}
      <h2>New zone</h2>
      <form onSubmit={(e) => void create.onSubmit(e)} class="stack" aria-label="New zone">
        <Notice text={create.message} />
        <Field name="name" label="Name" errors={errors} required />
        <Field name="codes" label="Postcodes" hint='Comma-separated; "101*" is every postcode starting with 101.' errors={errors} required />
        <Field name="fee" label="Delivery fee" type="number" step="0.01" min="0" errors={errors} required />
        <Field name="minimum" label="Minimum order" type="number" step="0.01" min="0" errors={errors} />
        <Field name="freeOver" label="Free delivery from (optional)" type="number" step="0.01" min="0" errors={errors} />
        <button type="submit" disabled={create.busy}>
          Create zone
        </button>
      </form>
    </section>
  );
}

type Row = Zone['timetable'][number];

function ZoneEditor({ zone, onChange }: { zone: Zone; onChange: () => void }) {
  const [rows, setRows] = useState<Row[]>(zone.timetable);
  const [closed, setClosed] = useState(zone.closedDays.join(', '));
  const [said, setSaid] = useState<{ text: string; ok: boolean; fields?: Record<string, string> } | null>(null);
  const edit = useSubmit(
    ({ codes, fee, minimum, freeOver }) =>
      api.PATCH('/api/admin/delivery-zones/{id}', {
        params: { path: { id: zone.id } },
        body: { postcodes: postcodes(codes), feeCents: cents(fee), minimumOrderCents: cents(minimum), freeOverCents: freeOver ? cents(freeOver) : null },
      }),
    () => onChange(),
  );
  const saveTimetable = async () => {
    const { error } = await api.PUT('/api/admin/delivery-zones/{id}/timetable', {
      params: { path: { id: zone.id } },
      body: { slots: rows, closedDays: postcodes(closed), capacityOverrides: zone.capacityOverrides },
    });
    setSaid(error ? { text: problem(error), ok: false, fields: fieldErrors(error) } : { text: 'Timetable saved', ok: true });
  };
  const remove = async () => {
    if (!confirm(`Delete the zone ${zone.name}?`)) return;
    await api.DELETE('/api/admin/delivery-zones/{id}', { params: { path: { id: zone.id } } });
    onChange();
  };
  const setRow = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const rowError = (i: number) => Object.entries(said?.fields ?? {}).filter(([k]) => k.startsWith(`slots.${i}`)).map(([, v]) => v).join('; ');
  return (
    <section class="zone" aria-labelledby={`zone-${zone.id}`}>
      <h2 id={`zone-${zone.id}`}>
        {zone.name} <small>fee {money(zone.feeCents)}, minimum {money(zone.minimumOrderCents)}</small>
      </h2>
      <form onSubmit={(e) => void edit.onSubmit(e)} class="inline-fields" aria-label={`Zone ${zone.name}`}>
        <Notice text={edit.message} />
        <Field name="codes" label="Postcodes" defaultValue={zone.postcodes.join(', ')} errors={{ codes: edit.errors.postcodes }} />
        <Field name="fee" label="Fee" type="number" step="0.01" defaultValue={String(zone.feeCents / 100)} errors={{ fee: edit.errors.feeCents }} />
        <Field name="minimum" label="Minimum" type="number" step="0.01" defaultValue={String(zone.minimumOrderCents / 100)} errors={{ minimum: edit.errors.minimumOrderCents }} />
        <Field name="freeOver" label="Free from" type="number" step="0.01" defaultValue={zone.freeOverCents ? String(zone.freeOverCents / 100) : ''} errors={{ freeOver: edit.errors.freeOverCents }} />
        <button type="submit">Save zone</button>{' '}
        <button type="button" class="secondary" onClick={() => void remove()}>
          Delete zone
        </button>
      </form>
      <h3>Weekly slots</h3>
      <table class="lines">
        <Columns names={['Day', 'From', 'To', 'Orders']} hidden="Remove" />
        <tbody>
          {rows.map((row, i) => (
            <tr>
              <td>
                <select aria-label={`Day of slot ${i + 1}`} value={row.weekday} onChange={(e) => setRow(i, { weekday: Number(e.currentTarget.value) })}>
                  {WEEKDAYS.map((day, d) => (
                    <option value={d + 1}>{day}</option>
                  ))}
                </select>
              </td>
              <td>
                <input aria-label={`Start of slot ${i + 1}`} type="time" value={row.start} onInput={(e) => setRow(i, { start: e.currentTarget.value })} />
              </td>
              <td>
                <input aria-label={`End of slot ${i + 1}`} type="time" value={row.end} onInput={(e) => setRow(i, { end: e.currentTarget.value })} />
              </td>
              <td>
                <input aria-label={`Capacity of slot ${i + 1}`} type="number" min={1} value={row.capacity} onInput={(e) => setRow(i, { capacity: Number(e.currentTarget.value) })} />
                {rowError(i) && <p class="field-error">{rowError(i)}</p>}
              </td>
              <td>
                <RemoveButton label={`Remove slot ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="secondary" onClick={() => setRows([...rows, { weekday: 1, start: '09:00', end: '12:00', capacity: 20 }])}>
        Add a slot
      </button>
      <div class="field">
        <label for={`closed-${zone.id}`}>Closed days (YYYY-MM-DD, comma-separated)</label>
        <input id={`closed-${zone.id}`} value={closed} onInput={(e) => setClosed(e.currentTarget.value)} />
      </div>
      <button type="button" onClick={() => void saveTimetable()}>
        Save timetable
      </button>
      {said && <Notice text={said.text} kind={said.ok ? 'ok' : 'error'} />}
    </section>
  );
}
