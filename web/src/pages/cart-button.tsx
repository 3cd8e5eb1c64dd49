/** "Add to cart" on a card or a product page: signs the visitor in first when needed. */
import { useState } from 'preact/hooks';
import { api, problem } from '../api';
import { navigate } from '../router';
import { cartCount, countLines, session } from '../session';

/** `grams` for a product sold by weight (its minimum from a card), else `quantity` units. */
export function AddToCart({ productId, name, disabled, quantity = 1, grams }: { productId: string; name: string; disabled?: boolean; quantity?: number; grams?: number }) {
  const [state, setState] = useState<{ busy?: boolean; said?: string }>({});
  const add = async () => {
    if (!session.value) {
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      return;
    }
    setState({ busy: true });
    const { data, error } = await api.POST('/api/cart/items', { body: grams === undefined ? { productId, quantity } : { productId, grams } });
    if (data) cartCount.value = countLines(data.items);
    setState({ said: error ? problem(error) : `Added to your cart` });
  };
  const label = disabled ? 'Unavailable' : 'Add to cart';
  // The name starts with the words shown, so a voice user who says what they see hits the button.
  return (
    <div class="add">
      <button type="button" disabled={disabled || state.busy} onClick={() => void add()} aria-label={`${label}: ${name}`}>
        {label}
      </button>
      <span role="status" class="said">
        {state.said}
      </span>
    </div>
  );
}
