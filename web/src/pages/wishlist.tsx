/** The wishlist: products kept for later, into the cart from here. */
import { useEffect, useState } from 'preact/hooks';
import { api, money, type Answer } from '../api';
import { RemoveButton } from '../forms';
import { SignedIn } from '../guard';
import { Link } from '../router';
import { AddToCart } from './cart-button';

type Items = Answer<'/api/wishlist', 'get'>['items'];

export function Wishlist() {
  return (
    <SignedIn>
      <WishlistItems />
    </SignedIn>
  );
}

function WishlistItems() {
  const [items, setItems] = useState<Items | null>(null);
  useEffect(() => void api.GET('/api/wishlist').then(({ data }) => setItems(data?.items ?? [])), []);
  if (!items) return <p aria-busy="true">Loading…</p>;
  const remove = async (productId: string) => {
    const { data } = await api.DELETE('/api/wishlist/{productId}', { params: { path: { productId } } });
    if (data) setItems(data.items);
  };
  return (
    <section>
      <h1>Your wishlist</h1>
      {items.length === 0 && <p>Nothing kept yet: a product page has "Add to wishlist".</p>}
      <ul class="plain rows">
        {items.map((item) => (
          <li key={item.productId}>
            <Link href={`/products/${item.productId}`}>{item.name}</Link> {money(item.priceCents, item.currency)}
            <AddToCart productId={item.productId} name={item.name} disabled={!item.available} />
            <RemoveButton label={`Remove ${item.name} from the wishlist`} onClick={() => void remove(item.productId)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
