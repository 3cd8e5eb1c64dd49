/** The cart: quantities, removal, subtotal; on to checkout. */
import { useEffect, useState } from 'preact/hooks';
import { api, money, problem, type Cart as CartAnswer } from '../api';
import { Notice, RemoveButton } from '../forms';
import { SignedIn } from '../guard';
import { Link } from '../router';
import { cartCount, countLines } from '../session';
import { Columns } from '../columns';
import { Taxes } from '../weight';

export function Cart() {
  return (
    <SignedIn>
      <CartLines />
    </SignedIn>
  );
}

function CartLines() {
  const [cart, setCart] = useState<Omit<CartAnswer, 'delivery'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const take = ({ data, error }: { data?: Omit<CartAnswer, 'delivery'>; error?: unknown }) => {
    setError(error ? problem(error) : null);
    if (data) {
      setCart(data);
      cartCount.value = countLines(data.items);
    }
  };
  useEffect(() => void api.GET('/api/cart').then(take), []);
  if (!cart) return <p aria-busy="true">Loading your cart…</p>;
  const change = (productId: string, body: { quantity: number } | { grams: number } | { ifUnavailable: 'substitute' | 'none' }) =>
    api.PATCH('/api/cart/items/{productId}', { params: { path: { productId } }, body }).then(take);
  const estimated = cart.items.some((item) => item.by === 'weight');
  const remove = (productId: string) => api.DELETE('/api/cart/items/{productId}', { params: { path: { productId } } }).then(take);
  return (
    <section>
      <h1>Your cart</h1>
      <Notice text={error} />
      {cart.items.length === 0 ? (
        <p>
          Your cart is empty. <Link href="/">Find something good</Link>
        </p>
      ) : (
        <>
          <table class="lines">
            <caption class="sr-only">Products in your cart</caption>
            <Columns names={['Product', 'Price', 'Quantity', 'Total', 'If unavailable']} hidden="Remove" />
            <tbody>
              {cart.items.map((item) => (
                <tr key={item.productId}>
                  <td>
                    <Link href={`/products/${item.productId}`}>{item.name}</Link>
                    {!item.available && <small> (no longer available)</small>}
                  </td>
                  <td>
                    {money(item.unitPriceCents, cart.currency)}
                    {item.by === 'weight' && <small> / kg</small>}
                  </td>
                  <td>
                    {item.by === 'weight' ? (
                      <>
                        <input
                          type="number"
                          min={0}
                          value={item.grams}
                          aria-label={`Grams of ${item.name}`}
                          onChange={(e) => void change(item.productId, { grams: Number(e.currentTarget.value) })}
                        />{' '}
                        g
                      </>
                    ) : (
                      <input
                        type="number"
                        min={1}
                        value={item.quantity}
                        aria-label={`Quantity of ${item.name}`}
                        onChange={(e) => void change(item.productId, { quantity: Number(e.currentTarget.value) })}
                      />
                    )}
                  </td>
                  <td>
                    {money(item.lineTotalCents, cart.currency)}
                    {item.by === 'weight' && <small class="estimate"> estimated: weighed at packing</small>}
                  </td>
                  <td>
                    <select
                      aria-label={`If ${item.name} is unavailable`}
                      value={item.ifUnavailable}
                      onChange={(e) => void change(item.productId, { ifUnavailable: e.currentTarget.value as 'substitute' | 'none' })}
                    >
                      <option value="none">Refund it</option>
                      <option value="substitute">Substitute a similar product</option>
                    </select>
                  </td>
                  <td>
                    <RemoveButton label={`Remove ${item.name}`} onClick={() => void remove(item.productId)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="total">
            Subtotal{estimated ? ' (estimated)' : ''}: <strong>{money(cart.subtotalCents, cart.currency)}</strong>
          </p>
          <Taxes taxes={cart.taxes} currency={cart.currency} />
          <Link href="/checkout" class="button">
            Checkout
          </Link>
        </>
      )}
    </section>
  );
}
