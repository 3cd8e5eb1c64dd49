/** One product: its image, price, allergens, diets, ingredients and nutrition; cart and wishlist. */
import { useEffect, useState } from 'preact/hooks';
import { api, money, problem, type Product } from '../api';
import { Notice } from '../forms';
import { ALLERGENS, DIETS } from '../labels';
import { Link } from '../router';
import { session } from '../session';
import { useStore } from '../store';
import { AddToCart } from './cart-button';
import { gramChoices, gramsWords, Price } from '../weight';

export function ProductPage({ id }: { id: string }) {
  const [product, setProduct] = useState<Product | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [grams, setGrams] = useState<number | null>(null);
  const [wished, setWished] = useState<string | null>(null);
  const user = useStore(session);
  useEffect(() => {
    void api.GET('/api/products/{id}', { params: { path: { id } } }).then(({ data, error }) => {
      setProduct(data?.product ?? null);
      setError(error ? problem(error) : null);
      if (data) document.title = `${data.product.name} · Food shop`;
    });
  }, [id]);
  if (error) return <Notice text={error} />;
  if (!product) return <p aria-busy="true">Loading…</p>;
  const wish = async () => {
    const { error } = await api.PUT('/api/wishlist/{productId}', { params: { path: { productId: product.id } } });
    setWished(error ? problem(error) : 'On your wishlist');
  };
  const { allergens } = product;
  const byWeight = product.by === 'weight';
  const choices = byWeight ? gramChoices(product) : [];
  return (
    <article class="product">
      <p>
        <Link href={`/?category=${encodeURIComponent(product.category)}`}>← {product.category}</Link>
      </p>
      <div class="product-body">
        {product.imageUrl ? <img src={product.imageUrl} alt={product.name} width={480} height={360} /> : <div class="no-image big" aria-hidden="true" />}
        <div>
          <h1>{product.name}</h1>
          <Price product={product} />
          <p class={product.stock > 0 ? 'stock' : 'stock out'}>
            {product.stock <= 0 ? 'Out of stock' : byWeight ? `${gramsWords(product.stock)} in stock` : `${product.stock} in stock`}
          </p>
          <p>{product.description}</p>
          {byWeight ? (
            <>
              <label for="grams">Weight</label>
              <select id="grams" value={grams ?? choices[0]} onChange={(e) => setGrams(Number(e.currentTarget.value))}>
                {choices.map((g) => (
                  <option key={g} value={g}>
                    {gramsWords(g)} · about {money(Math.round(((product.pricePerKgCents ?? product.priceCents) * g) / 1000), product.currency)}
                  </option>
                ))}
              </select>
              <small class="hint"> Estimated: weighed at packing, you pay what is weighed.</small>
            </>
          ) : (
            <>
              <label for="quantity">Quantity</label>
              <input id="quantity" type="number" min={1} max={Math.max(1, product.stock)} value={quantity} onInput={(e) => setQuantity(Number(e.currentTarget.value) || 1)} />
            </>
          )}
          <AddToCart
            productId={product.id}
            name={product.name}
            quantity={quantity}
            grams={byWeight ? (grams ?? choices[0]) : undefined}
            disabled={product.stock === 0 || !product.available}
          />
          {user && (
            <p>
              <button type="button" class="secondary" onClick={() => void wish()}>
                Add to wishlist
              </button>{' '}
              <span role="status">{wished}</span>
            </p>
          )}
          <h2>Allergens</h2>
          {allergens ? (
            <>
              <p>Contains: {allergens.contains.length ? allergens.contains.map((a) => ALLERGENS[a]).join(', ') : 'none of the 14 declared allergens'}</p>
              {allergens.mayContain.length > 0 && <p>May contain: {allergens.mayContain.map((a) => ALLERGENS[a]).join(', ')}</p>}
            </>
          ) : (
            <p>Not declared yet: ask the shop before buying if you have an allergy.</p>
          )}
          {product.diets.length > 0 && (
            <p>
              <strong>Diets:</strong> {product.diets.map((d) => DIETS[d]).join(', ')}
            </p>
          )}
          {product.ingredients && (
            <>
              <h2>Ingredients</h2>
              <p>{product.ingredients}</p>
            </>
          )}
          {product.nutrition && (
            <>
              <h2>Nutrition per 100 g</h2>
              <table>
                <tbody>
                  {Object.entries(product.nutrition).map(([name, value]) => (
                    <tr>
                      <th scope="row">{name.replace(/([A-Z])/g, ' $1').toLowerCase()}</th>
                      <td>{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      </div>
    </article>
  );
}
