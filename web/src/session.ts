/** Who is signed in: the tokens (kept across reloads) and the user they belong to. */
import type { User } from './api';
import { store } from './store';

export const tokens = store<{ accessToken: string; refreshToken: string } | null>(null, 'shop.tokens');
export const session = store<User | null>(null, 'shop.user');
/** The number of items in the cart, shown in the header. */
export const cartCount = store(0);
/** The header's count: units of a product sold by the piece, one for a line sold by weight. */
export const countLines = (items: { quantity?: number }[]) => items.reduce((n, item) => n + (item.quantity ?? 1), 0);

export function signOut() {
  tokens.value = null;
  session.value = null;
  cartCount.value = 0;
}
