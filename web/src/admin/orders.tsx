/** Orders by status and by delivery slot; moving one along (ship, deliver, cancel); each opens to pack or refund it (order.tsx). */
import { useEffect, useState } from 'preact/hooks';
import { api, money, problem, type Order } from '../api';
import { Notice } from '../forms';
import { slotWords, STATUSES, statusWord, when } from '../labels';
import { Link, navigate, useRoute } from '../router';
import { Columns } from '../columns';
import { amountWords } from '../weight';

type Status = Order['status'];
/** The moves an admin may make from each status (the API refuses the others). */
const NEXT: Partial<Record<Status, { to: Status; label: string }[]>> = {
  confirmed: [
    { to: 'shipped', label: 'Ship' },
    { to: 'cancelled', label: 'Cancel' },
  ],
  shipped: [{ to: 'delivered', label: 'Deliver' }],
};

function OrderRows({ orders, onMoved }: { orders: Order[]; onMoved: (order: Order) => void }) {
  const [error, setError] = useState<string | null>(null);
  const move = async (id: string, status: Status) => {
    const { data, error } = await api.PATCH('/api/orders/{id}/status', { params: { path: { id } }, body: { status } });
    setError(error ? problem(error) : null);
    if (data) onMoved(data.order);
  };
  return (
    <>
      <Notice text={error} />
      <table class="lines">
        <Columns names={['Placed', 'Products', 'Total', 'Slot', 'Status', 'Payment', 'Move along']} />
        <tbody>
          {orders.map((o) => (
            <tr key={o.id} data-order={o.id}>
              <td>
                <Link href={`/admin/orders/${o.id}`}>{when(o.createdAt)}</Link>
              </td>
              <td>{o.items.map((i) => `${amountWords(i)}${i.by === 'weight' ? '' : ' ×'} ${i.name}`).join(', ')}</td>
              <td>{money(o.totalCents, o.currency)}</td>
              <td>{o.delivery?.slot ? <Link href={`/admin/slots/${o.delivery.slot.id}`}>{slotWords(o.delivery.slot)}</Link> : '—'}</td>
              <td>
                <span class={`status ${o.status}`}>{statusWord(o.status)}</span>
              </td>
              <td>{o.payment ? `${o.payment.method === 'card' ? 'card' : 'cash'}, ${o.payment.status}` : '—'}</td>
              <td>
                {(NEXT[o.status] ?? []).map(({ to, label }) => (
                  <button type="button" class={to === 'cancelled' ? 'secondary' : ''} onClick={() => void move(o.id, to)} aria-label={`${label} the order of ${when(o.createdAt)}`}>
                    {label}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {orders.length === 0 && <p>No orders here.</p>}
    </>
  );
}

const replace = (orders: Order[], moved: Order) => orders.map((o) => (o.id === moved.id ? moved : o));

export function AdminOrders() {
  const { query } = useRoute();
  const status = (query.get('status') || undefined) as Status | undefined;
  const [orders, setOrders] = useState<Order[] | null>(null);
  useEffect(() => void api.GET('/api/admin/orders', { params: { query: { status, limit: 100 } } }).then(({ data }) => setOrders(data?.items ?? [])), [status]);
  return (
    <section>
      <h1>Orders</h1>
      <label for="status-filter">Status</label>{' '}
      <select id="status-filter" value={status ?? ''} onChange={(e) => navigate(`/admin/orders${e.currentTarget.value ? `?status=${e.currentTarget.value}` : ''}`)}>
        <option value="">Any</option>
        {Object.entries(STATUSES).map(([value, label]) => (
          <option value={value}>{label}</option>
        ))}
      </select>
      {orders ? <OrderRows orders={orders} onMoved={(moved) => setOrders(replace(orders, moved))} /> : <p aria-busy="true">Loading…</p>}
    </section>
  );
}

export function SlotOrders({ slotId }: { slotId: string }) {
  const [orders, setOrders] = useState<Order[] | null>(null);
  useEffect(() => void api.GET('/api/admin/slots/{slotId}/orders', { params: { path: { slotId }, query: { limit: 100 } } }).then(({ data }) => setOrders(data?.items ?? [])), [slotId]);
  const slot = orders?.[0]?.delivery?.slot;
  return (
    <section>
      <p>
        <Link href="/admin/orders">← Orders</Link>
      </p>
      <h1>Orders of the slot {slot ? slotWords(slot) : slotId}</h1>
      {orders ? <OrderRows orders={orders} onMoved={(moved) => setOrders(replace(orders, moved))} /> : <p aria-busy="true">Loading…</p>}
    </section>
  );
}
