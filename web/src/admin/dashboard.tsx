/** What needs attention: orders waiting at each step, products running low. */
import { useEffect, useState } from 'preact/hooks';
import { api, type Product } from '../api';
import { Link } from '../router';

/** At or below this many available, a product counts as running low. */
const LOW = 5;

export function Dashboard() {
  const [waiting, setWaiting] = useState<Record<string, number>>({});
  const [low, setLow] = useState<Product[] | null>(null);
  useEffect(() => {
    for (const status of ['pending', 'confirmed', 'shipped'] as const) {
      void api.GET('/api/admin/orders', { params: { query: { status, limit: 1 } } }).then(({ data }) => {
        if (data) setWaiting((w) => ({ ...w, [status]: data.total }));
      });
    }
    // The catalog is read a page at a time; a shop's low-stock list is the first 300 products' worth.
    void Promise.all([1, 2, 3].map((page) => api.GET('/api/products', { params: { query: { page, limit: 100, sort: 'name' } } }))).then((answers) =>
      setLow(answers.flatMap(({ data }) => data?.items ?? []).filter((p) => p.stock <= LOW)),
    );
  }, []);
  return (
    <section>
      <h1>Dashboard</h1>
      <div class="tiles">
        <Link href="/admin/orders?status=pending" class="tile">
          <strong>{waiting.pending ?? '…'}</strong> pending
        </Link>
        <Link href="/admin/orders?status=confirmed" class="tile">
          <strong>{waiting.confirmed ?? '…'}</strong> to ship
        </Link>
        <Link href="/admin/orders?status=shipped" class="tile">
          <strong>{waiting.shipped ?? '…'}</strong> on the road
        </Link>
      </div>
      <h2>Low stock (≤ {LOW} available)</h2>
      {!low ? (
        <p aria-busy="true">Loading…</p>
      ) : low.length === 0 ? (
        <p>Nothing is running low.</p>
      ) : (
        <ul class="plain rows">
          {low.map((p) => (
            <li key={p.id}>
              <Link href={`/admin/products/${p.id}`}>{p.name}</Link>: {p.stock} available, {p.onHand} on the shelf
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
