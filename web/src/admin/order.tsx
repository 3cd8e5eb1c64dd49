/**
 * One order in the back office: packing each line (the weighed grams, fewer units, a substitute)
 * while it is confirmed, its payment, and refunds once delivered.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, money, problem, type Order } from '../api';
import { Field, Notice, Select, useSubmit } from '../forms';
import { Link } from '../router';
import { OrderView } from '../pages/orders';
import { gramsWords } from '../weight';

type Line = Order['items'][number];

/** The products that may stand in for a line: available, sold the same way, in its category. */
function Substitutes({ line, errors }: { line: Line; errors: Record<string, string> }) {
  const [choices, setChoices] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    void (async () => {
      const { data } = await api.GET('/api/products/{id}', { params: { path: { id: line.productId } } });
      if (!data) return;
      const listed = await api.GET('/api/products', { params: { query: { category: data.product.category, limit: 100, sort: 'name' } } });
      setChoices((listed.data?.items ?? []).filter((p) => p.id !== line.productId && p.available && p.by === line.by && p.stock > 0));
    })();
  }, [line.productId]);
  return (
    <Select name="substituteId" label={`Substitute for ${line.name}`} errors={errors}>
      <option value="">None: pack the product ordered</option>
      {choices.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </Select>
  );
}

/** Packing one line: grams (weight) or units (piece), and a substitute when the customer wants one. */
function PackLine({ order, line, onPacked }: { order: Order; line: Line; onPacked: (order: Order) => void }) {
  const weight = line.by === 'weight';
  const { errors, message, busy, onSubmit } = useSubmit(
    ({ packedGrams, packedQuantity, substituteId }) =>
      api.PATCH('/api/admin/orders/{id}/lines/{productId}', {
        params: { path: { id: order.id, productId: line.productId } },
        body: { ...(weight ? { packedGrams: Number(packedGrams) } : { packedQuantity: Number(packedQuantity) }), ...(substituteId ? { substituteId } : {}) },
      }),
    (data) => onPacked(data.order),
  );
  const ordered = weight ? (line.grams ?? 0) : (line.quantity ?? 0);
  return (
    <form class="pack" aria-label={`Pack ${line.name}`} onSubmit={(e) => void onSubmit(e)}>
      <Notice text={message} />
      <Field
        name={weight ? 'packedGrams' : 'packedQuantity'}
        label={weight ? `Weighed grams of ${line.name}` : `Units of ${line.name} packed`}
        type="number"
        min={0}
        defaultValue={String(line.packed?.grams ?? line.packed?.quantity ?? ordered)}
        hint={weight ? `ordered ${gramsWords(ordered)}, at most ${gramsWords(line.maxGrams ?? ordered)}` : `ordered ${ordered}`}
        errors={errors}
      />
      {line.ifUnavailable === 'substitute' && <Substitutes line={line} errors={errors} />}
      <button type="submit" disabled={busy}>
        Pack {line.name}
      </button>
    </form>
  );
}

function Refund({ order, onRefunded }: { order: Order; onRefunded: (order: Order) => void }) {
  const { errors, message, busy, onSubmit } = useSubmit(
    ({ amount, reason }) =>
      api.POST('/api/admin/orders/{id}/refunds', { params: { path: { id: order.id } }, body: { amountCents: Math.round(Number(amount) * 100), reason } }),
    () => void api.GET('/api/orders/{id}', { params: { path: { id: order.id } } }).then(({ data }) => data && onRefunded(data.order)),
  );
  const payment = order.payment!;
  return (
    <form aria-label="Refund" onSubmit={(e) => void onSubmit(e)}>
      <h2>Refund</h2>
      <Notice text={message} />
      <p>
        Captured {money(payment.capturedCents, order.currency)}, refunded {money(payment.refundedCents, order.currency)}.
      </p>
      <Field name="amount" label="Amount to refund" type="number" min="0.01" step="0.01" required errors={{ ...errors, amount: errors.amountCents ?? '' }} />
      <Field name="reason" label="Reason" required maxLength={500} errors={errors} />
      <button type="submit" disabled={busy}>
        Refund
      </button>
    </form>
  );
}

export function AdminOrder({ id }: { id: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      void api.GET('/api/orders/{id}', { params: { path: { id } } }).then(({ data, error }) => {
        setOrder(data?.order ?? null);
        setError(error ? problem(error) : null);
      }),
    [id],
  );
  if (!order) return error ? <Notice text={error} /> : <p aria-busy="true">Loading the order…</p>;
  return (
    <>
      <p>
        <Link href="/admin/orders">← Orders</Link>
      </p>
      <OrderView order={order}>
        {order.status === 'confirmed' && (
          <section aria-label="Packing">
            <h2>Packing</h2>
            {order.items.map((line) => (
              <PackLine key={line.productId} order={order} line={line} onPacked={setOrder} />
            ))}
          </section>
        )}
        {order.status === 'delivered' && order.payment && order.payment.capturedCents > order.payment.refundedCents && <Refund order={order} onRefunded={setOrder} />}
      </OrderView>
    </>
  );
}
