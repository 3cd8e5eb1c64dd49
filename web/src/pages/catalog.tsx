/** The catalog: categories, search and filters (kept in the address, so a filtered list can be shared), product cards. */
import { useEffect, useState } from 'preact/hooks';
import { api, problem, type Answer } from '../api';
import type { paths } from '../schema';
import { Notice } from '../forms';
import { ALLERGENS, DIETS, type Allergen, type Diet } from '../labels';
import { Link, navigate, useRoute } from '../router';
import { AddToCart } from './cart-button';
import { Price } from '../weight';

type Listing = Answer<'/api/products', 'get'>;
type Categories = Answer<'/api/categories', 'get'>['items'];
type ListQuery = NonNullable<paths['/api/products']['get']['parameters']['query']>;
const PAGE = 24;

const euros = (cents: string | null) => (cents ? String(Number(cents) / 100) : '');
const cents = (euros: FormDataEntryValue | null) => (euros ? String(Math.round(Number(euros) * 100)) : '');

export function Catalog() {
  const { query } = useRoute();
  const [listing, setListing] = useState<Listing | null>(null);
  const [categories, setCategories] = useState<Categories>([]);
  const [error, setError] = useState<string | null>(null);
  const category = query.get('category') ?? undefined;
  const page = Number(query.get('page') ?? 1);
  const key = query.toString();

  useEffect(() => void api.GET('/api/categories').then(({ data }) => data && setCategories(data.items)), []);
  useEffect(() => {
    const excluded = query.getAll('excludeAllergens') as Allergen[];
    void api
      .GET('/api/products', {
        params: {
          query: {
            page,
            limit: PAGE,
            category,
            q: query.get('q') || undefined,
            minPrice: query.get('minPrice') ? Number(query.get('minPrice')) : undefined,
            maxPrice: query.get('maxPrice') ? Number(query.get('maxPrice')) : undefined,
            inStock: query.get('inStock') === 'true' ? 'true' : undefined,
            diet: (query.get('diet') || undefined) as Diet | undefined,
            excludeAllergens: excluded.length ? excluded.join(',') : undefined,
            sort: (query.get('sort') || undefined) as ListQuery['sort'],
          } satisfies ListQuery,
        },
      })
      .then(({ data, error }) => {
        setError(error ? problem(error) : null);
        setListing(data ?? null);
      });
  }, [key]);

  const filter = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    if (category) next.set('category', category);
    for (const name of ['q', 'diet', 'sort']) if (form.get(name)) next.set(name, form.get(name) as string);
    if (cents(form.get('minPrice'))) next.set('minPrice', cents(form.get('minPrice')));
    if (cents(form.get('maxPrice'))) next.set('maxPrice', cents(form.get('maxPrice')));
    if (form.get('inStock')) next.set('inStock', 'true');
    for (const allergen of form.getAll('excludeAllergens') as string[]) next.append('excludeAllergens', allergen);
    navigate(`/?${next}`);
  };
  const pageLink = (n: number) => {
    const next = new URLSearchParams(query);
    next.set('page', String(n));
    return `/?${next}`;
  };
  const pages = listing ? Math.max(1, Math.ceil(listing.total / PAGE)) : 1;
  const title = categories.find((c) => c.slug === category)?.name ?? 'All products';

  return (
    <div class="catalog">
      <aside>
        <nav aria-label="Categories">
          <h2>Categories</h2>
          <ul class="plain">
            <li>
              <Link href="/" aria-current={!category ? 'page' : undefined}>
                All products
              </Link>
            </li>
            {categories.map((c) => (
              <li key={c.slug}>
                <Link href={`/?category=${encodeURIComponent(c.slug)}`} aria-current={c.slug === category ? 'page' : undefined}>
                  {c.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <form class="filters" role="search" aria-label="Search and filters" onSubmit={filter} key={key}>
          <h2>Search</h2>
          <label for="q">Words</label>
          <input id="q" name="q" type="search" defaultValue={query.get('q') ?? ''} />
          <fieldset>
            <legend>Price{listing?.items[0] ? ` (${listing.items[0].currency})` : ''}</legend>
            <label for="minPrice">From</label>
            <input id="minPrice" name="minPrice" type="number" min="0" step="0.01" inputMode="decimal" defaultValue={euros(query.get('minPrice'))} />
            <label for="maxPrice">To</label>
            <input id="maxPrice" name="maxPrice" type="number" min="0" step="0.01" inputMode="decimal" defaultValue={euros(query.get('maxPrice'))} />
          </fieldset>
          <label class="check">
            <input type="checkbox" name="inStock" value="true" defaultChecked={query.get('inStock') === 'true'} /> In stock only
          </label>
          <label for="diet">Diet</label>
          <select id="diet" name="diet" defaultValue={query.get('diet') ?? ''}>
            <option value="">Any</option>
            {Object.entries(DIETS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
          <fieldset>
            <legend>Without allergens</legend>
            <div class="checks">
              {Object.entries(ALLERGENS).map(([value, label]) => (
                <label class="check">
                  <input type="checkbox" name="excludeAllergens" value={value} defaultChecked={query.getAll('excludeAllergens').includes(value)} /> {label}
                </label>
              ))}
            </div>
          </fieldset>
          <label for="sort">Sort by</label>
          <select id="sort" name="sort" defaultValue={query.get('sort') ?? ''}>
            <option value="">Newest</option>
            <option value="name">Name</option>
            <option value="price">Price, lowest first</option>
            <option value="-price">Price, highest first</option>
          </select>
          <button type="submit">Show products</button>
        </form>
      </aside>
      <section aria-labelledby="listing-title">
        <h1 id="listing-title">{title}</h1>
        <Notice text={error} />
        {listing && (
          <p role="status">
            {listing.total} product{listing.total === 1 ? '' : 's'}
          </p>
        )}
        <ul class="grid plain">
          {listing?.items.map((p, i) => (
            <li class="card" key={p.id}>
              {p.thumbnailUrl ? (
                <img src={p.thumbnailUrl} alt="" width={240} height={180} loading={i < 4 ? 'eager' : 'lazy'} decoding="async" />
              ) : (
                <div class="no-image" aria-hidden="true" />
              )}
              <h2>
                <Link href={`/products/${p.id}`}>{p.name}</Link>
              </h2>
              <Price product={p} />
              <p class={p.stock > 0 ? 'stock' : 'stock out'}>{p.stock > 0 ? 'In stock' : 'Out of stock'}</p>
              <AddToCart productId={p.id} name={p.name} grams={p.by === 'weight' ? (p.minGrams ?? p.stepGrams ?? 100) : undefined} disabled={p.stock === 0 || !p.available} />
            </li>
          ))}
        </ul>
        {pages > 1 && (
          <nav aria-label="Pages" class="pages">
            {page > 1 && <Link href={pageLink(page - 1)}>Previous</Link>}
            <span>
              Page {page} of {pages}
            </span>
            {page < pages && <Link href={pageLink(page + 1)}>Next</Link>}
          </nav>
        )}
      </section>
    </div>
  );
}
