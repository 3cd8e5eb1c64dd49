/** Your orders, and one order with its history: watched while pending, cancellable while allowed. */
import { useEffect, useState } from 'preact/hooks';
import { api, money, problem, type Order } from '../api';
import { Notice } from '../forms';
import { SignedIn } from '../guard';
import { SETTLING, slotWords, statusWord, when } from '../labels';
import { Link } from '../router';
import { addressLine } from './addresses';
import { Columns } from '../columns';
import { amountWords, Taxes } from '../weight';
import { CardPayment } from './pay';

export function Orders() {
  return (
    <SignedIn>
      <OrderList />
    </SignedIn>
  );
}

function OrderList() {
  const [orders, setOrders] = useState<Order[] | null>(null);
  useEffect(() => void api.GET('/api/orders', { params: { query: { limit: 50 } } }).then(({ data }) => setOrders(data?.items ?? [])), []);
  if (!orders) return <p aria-busy="true">Loading your orders…</p>;
  return (
    <section>
      <h1>Your orders</h1>
      {orders.length === 0 && <p>No orders yet.</p>}
      <ul class="plain rows">
        {orders.map((o) => (
          <li key={o.id}>
            <Link href={`/orders/${o.id}`}>Order of {when(o.createdAt)}</Link> · {money(o.totalCents, o.currency)} ·{' '}
            <span class={`status ${o.status}`}>{statusWord(o.status)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function OrderPage({ id }: { id: string }) {
  return (
    <SignedIn>
      <OrderDetail id={id} />
    </SignedIn>
  );
}

/** How often a pending order is asked again, until the saga has moved it. */
const POLL_MS = 1500;

export function OrderView({ order, children }: { order: Order; children?: preact.ComponentChildren }) {
  return (
    <article class="order">
      <h1>Order of {when(order.createdAt)}</h1>
      <p role="status" aria-live="polite">
        Status: <strong class={`status ${order.status}`} data-status={order.status}>{statusWord(order.status)}</strong>
        {order.status === 'pending' && ' — reserving your products…'}
        {order.cancelReason && ` (${order.cancelReason.replace(/_/g, ' ')})`}
      </p>
      {children}
      <table class="lines">
        <caption class="sr-only">Products in this order</caption>
        <Columns names={['Product', 'Quantity', 'Total']} />
        <tbody>
          {order.items.map((item) => (
            <tr key={item.productId} data-product={item.productId}>
              <td>
                {item.name}
                {item.ifUnavailable === 'substitute' && !item.packed && <small> (a substitute if unavailable)</small>}
                {item.packed?.substitute && <small class="packed"> → substituted by {item.packed.substitute.name}</small>}
              </td>
              <td>
                {amountWords(item)}
                {item.packed && <small class="packed"> packed: {amountWords({ by: item.by, ...item.packed })}</small>}
              </td>
              <td>
                {money(item.packed?.lineTotalCents ?? item.lineTotalCents, order.currency)}
                {item.by === 'weight' && !item.packed && <small class="estimate"> estimated: weighed at packing</small>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Subtotal {money(order.subtotalCents, order.currency)} · delivery {money(order.deliveryFeeCents, order.currency)} · total{' '}
        <strong>{money(order.totalCents, order.currency)}</strong>
      </p>
      <Taxes taxes={order.taxes} currency={order.currency} />
      {order.payment && (
        <p class="payment" data-payment={order.payment.status}>
          Payment: {order.payment.method === 'card' ? 'card' : 'cash on delivery'}, {order.payment.status}
          {order.payment.refundedCents > 0 && ` (refunded ${money(order.payment.refundedCents, order.currency)})`}
        </p>
      )}
      <p>To: {addressLine(order.address)}</p>
      {order.delivery?.slot && (
        <p>
          Delivery: {slotWords(order.delivery.slot)}
        </p>
      )}
      {order.note && <p>Note: {order.note}</p>}
      <h2>History</h2>
      <ol class="history">
        {order.history.map((h) => (
          <li>
            {statusWord(h.status)} — {when(h.at)}
            {h.reason ? ` (${h.reason.replace(/_/g, ' ')})` : ''}
          </li>
        ))}
      </ol>
    </article>
  );
}

function OrderDetail({ id }: { id: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const { data, error } = await api.GET('/api/orders/{id}', { params: { path: { id } } });
      if (stopped) return;
      setError(error ? problem(error) : null);
      if (data) setOrder(data.order);
      // Pending moves on by itself (the stock saga, a payment): ask again until it has.
      if (data && SETTLING.includes(data.order.status)) timer = setTimeout(() => void load(), POLL_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);
  if (!order) return error ? <Notice text={error} /> : <p aria-busy="true">Loading the order…</p>;
  const cancel = async () => {
    if (!confirm('Cancel this order?')) return;
    const { data, error } = await api.POST('/api/orders/{id}/cancel', { params: { path: { id } } });
    setError(error ? problem(error) : null);
    if (data) setOrder(data.order);
  };
  return (
    <OrderView order={order}>
      <Notice text={error} />
      {order.status === 'awaiting_payment' && order.payment?.clientSecret && (
        <CardPayment clientSecret={order.payment.clientSecret} amountCents={order.payment.amountCents} currency={order.currency} />
      )}
      {(order.status === 'pending' || order.status === 'confirmed') && (
        <button type="button" class="secondary" onClick={() => void cancel()}>
          Cancel order
        </button>
      )}
    </OrderView>
  );
}
