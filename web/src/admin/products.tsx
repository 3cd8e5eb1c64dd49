/** Products: the list, a new product, and one product's editor (details, availability, stock, image). */
import { useEffect, useState } from 'preact/hooks';
import { api, money, problem, type Answer, type Product } from '../api';
import { Field, Notice, Select, useSubmit } from '../forms';
import { Link, navigate, useRoute } from '../router';
import { Columns } from '../columns';

type Categories = Answer<'/api/categories', 'get'>['items'];
const cents = (euros: string) => Math.round(Number(euros) * 100);

function useCategories() {
  const [categories, setCategories] = useState<Categories>([]);
  useEffect(() => void api.GET('/api/categories').then(({ data }) => data && setCategories(data.items)), []);
  return categories;
}

export function Products() {
  const { query } = useRoute();
  const q = query.get('q') ?? '';
  const page = Number(query.get('page') ?? 1);
  const [listing, setListing] = useState<Answer<'/api/products', 'get'> | null>(null);
  const categories = useCategories();
  useEffect(() => {
    void api.GET('/api/products', { params: { query: { q: q || undefined, page, limit: 50, sort: q ? 'relevance' : 'newest' } } }).then(({ data }) => setListing(data ?? null));
  }, [q, page]);
  const { errors, message, busy, onSubmit } = useSubmit(
    ({ name, category, price, stock, unit, description }) =>
      api.POST('/api/products', { body: { name, category, priceCents: cents(price), stock: Number(stock || 0), unit: unit || undefined, description } }),
    (data) => navigate(`/admin/products/${data.product.id}?created=1`),
  );
  return (
    <section>
      <h1>Products</h1>
      <form role="search" onSubmit={(e) => (e.preventDefault(), navigate(`/admin/products?q=${encodeURIComponent(new FormData(e.currentTarget).get('q') as string)}`))}>
        <label for="admin-q">Search products</label> <input id="admin-q" name="q" type="search" defaultValue={q} /> <button type="submit">Search</button>
      </form>
      <table class="lines">
        <Columns names={['Name', 'Category', 'Price', 'Available', 'On the shelf', 'For sale']} />
        <tbody>
          {listing?.items.map((p) => (
            <tr key={p.id}>
              <td>
                <Link href={`/admin/products/${p.id}`}>{p.name}</Link>
              </td>
              <td>{p.category}</td>
              <td>{money(p.priceCents, p.currency)}</td>
              <td>{p.stock}</td>
              <td>{p.onHand}</td>
              <td>{p.available ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {listing && listing.total > page * 50 && <Link href={`/admin/products?q=${encodeURIComponent(q)}&page=${page + 1}`}>Next page</Link>}
      <h2>New product</h2>
      <form onSubmit={(e) => void onSubmit(e)} class="stack" aria-label="New product">
        <Notice text={message} />
        <Field name="name" label="Name" errors={errors} required />
        <Select name="category" label="Category" errors={errors} required>
          {categories.map((c) => (
            <option value={c.slug}>{c.name}</option>
          ))}
        </Select>
        <Field name="price" label="Price" type="number" step="0.01" min="0" inputMode="decimal" errors={{ price: errors.priceCents }} required />
        <Field name="unit" label="Unit" placeholder="piece" errors={errors} />
        <Field name="stock" label="Stock" type="number" min="0" errors={errors} defaultValue="0" />
        <Field name="description" label="Description" errors={errors} />
        <button type="submit" disabled={busy}>
          Create product
        </button>
      </form>
    </section>
  );
}

export function ProductEditor({ id }: { id: string }) {
  const [product, setProduct] = useState<Product | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const categories = useCategories();
  const { query } = useRoute();
  useEffect(() => void api.GET('/api/products/{id}', { params: { path: { id } } }).then(({ data }) => setProduct(data?.product ?? null)), [id]);
  const saved = (data: { product: Product }, text = 'Saved') => {
    setProduct(data.product);
    setSaid(text);
  };
  const details = useSubmit(
    ({ name, category, price, unit, description, available }) =>
      api.PATCH('/api/products/{id}', { params: { path: { id } }, body: { name, category, priceCents: cents(price), unit, description, available: available === 'on' } }),
    (data) => saved(data),
  );
  const stock = useSubmit(
    ({ stockDelta }) => api.PATCH('/api/products/{id}', { params: { path: { id } }, body: { stockDelta: Number(stockDelta) } }),
    (data, form) => (form.reset(), saved(data, 'Stock updated')),
  );
  const upload = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const { data, error } = await api.POST('/api/products/{id}/image', {
      params: { path: { id } },
      // multipart: the form's own FormData, sent as is
      body: new FormData(form) as unknown as { image: string },
      bodySerializer: (body) => body as unknown as FormData,
    });
    setUploadError(error ? problem(error) : null);
    if (data) saved(data, 'Image uploaded');
  };
  if (!product) return <p aria-busy="true">Loading…</p>;
  return (
    <section>
      <p>
        <Link href="/admin/products">← Products</Link> · <Link href={`/products/${id}`}>See it in the shop</Link>
      </p>
      <h1>{product.name}</h1>
      <Notice text={query.get('created') && !said ? 'Product created' : said} kind="ok" />
      <div class="columns">
        <form onSubmit={(e) => void details.onSubmit(e)} class="stack" aria-label="Product details" key={product.updatedAt}>
          <Notice text={details.message} />
          <Field name="name" label="Name" defaultValue={product.name} errors={details.errors} required />
          <Select name="category" label="Category" errors={details.errors} defaultValue={product.category}>
            {categories.map((c) => (
              <option value={c.slug} selected={c.slug === product.category}>
                {c.name}
              </option>
            ))}
          </Select>
          <Field name="price" label="Price" type="number" step="0.01" min="0" defaultValue={String(product.priceCents / 100)} errors={{ price: details.errors.priceCents }} required />
          <Field name="unit" label="Unit" defaultValue={product.unit} errors={details.errors} />
          <Field name="description" label="Description" defaultValue={product.description} errors={details.errors} />
          <label class="check">
            <input type="checkbox" name="available" defaultChecked={product.available} /> For sale
          </label>
          <button type="submit" disabled={details.busy}>
            Save details
          </button>
        </form>
        <div>
          <h2>Stock</h2>
          <p>
            {product.stock} available, {product.onHand} on the shelf (the difference is held by open orders).
          </p>
          <form onSubmit={(e) => void stock.onSubmit(e)} class="stack" aria-label="Stock">
            <Notice text={stock.message} />
            <Field name="stockDelta" label="Delivery received (+) or written off (−)" type="number" errors={stock.errors} required />
            <button type="submit" disabled={stock.busy}>
              Update stock
            </button>
          </form>
          <h2>Image</h2>
          {product.thumbnailUrl && <img src={product.thumbnailUrl} alt={`Current image of ${product.name}`} width={240} height={180} />}
          <form onSubmit={(e) => void upload(e)} class="stack" aria-label="Image">
            <Notice text={uploadError} />
            <label for="image">JPEG, PNG or WebP</label>
            <input id="image" name="image" type="file" accept="image/jpeg,image/png,image/webp" required />
            <button type="submit">Upload image</button>
          </form>
        </div>
      </div>
    </section>
  );
}
