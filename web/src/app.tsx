/** The page frame (header, navigation, main) and which page a path shows. Admin pages load on first visit. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api';
import { Cart } from './pages/cart';
import { Catalog } from './pages/catalog';
import { Checkout } from './pages/checkout';
import { Account, ForgotPassword, Login, Register, ResetPassword, VerifyEmail } from './pages/account';
import { OrderPage, Orders } from './pages/orders';
import { ProductPage } from './pages/product';
import { Wishlist } from './pages/wishlist';
import { Link, match, useRoute } from './router';
import { cartCount, countLines, session, signOut, tokens } from './session';
import { useStore } from './store';

type AdminModule = typeof import('./admin/admin');

/** The back office, in its own chunk: a customer never downloads it. */
function Admin({ path }: { path: string }) {
  const [module, setModule] = useState<AdminModule | null>(null);
  useEffect(() => void import('./admin/admin').then(setModule), []);
  if (!module) return <p aria-busy="true">Loading the back office…</p>;
  return <module.default path={path} />;
}

const pages: [string, (params: Record<string, string>) => preact.JSX.Element][] = [
  ['/', () => <Catalog />],
  ['/products/:id', ({ id }) => <ProductPage id={id} />],
  ['/cart', () => <Cart />],
  ['/checkout', () => <Checkout />],
  ['/wishlist', () => <Wishlist />],
  ['/orders', () => <Orders />],
  ['/orders/:id', ({ id }) => <OrderPage id={id} />],
  ['/login', () => <Login />],
  ['/register', () => <Register />],
  ['/forgot-password', () => <ForgotPassword />],
  ['/reset-password', () => <ResetPassword />],
  ['/verify-email', () => <VerifyEmail />],
  ['/account', () => <Account />],
];

function Page() {
  const { path } = useRoute();
  if (path === '/admin' || path.startsWith('/admin/')) {
    return <Admin path={path} />;
  }
  for (const [pattern, page] of pages) {
    const params = match(pattern, path);
    if (params) return page(params);
  }
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives at {path}. <Link href="/">Back to the shop</Link>
      </p>
    </section>
  );
}

async function logout() {
  const refreshToken = tokens.value?.refreshToken;
  if (refreshToken) await api.POST('/api/auth/logout', { body: { refreshToken } }).catch(() => undefined);
  signOut();
}

export function App() {
  const user = useStore(session);
  const count = useStore(cartCount);
  const { path } = useRoute();
  const main = useRef<HTMLElement>(null);
  // The cart count in the header, for a returning customer.
  useEffect(() => {
    if (!user) return;
    void api.GET('/api/cart').then(({ data }) => {
      if (data) cartCount.value = countLines(data.items);
    });
  }, [user?.id]);
  // A new page: focus moves to its content, so keyboard and screen-reader users start there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus({ preventScroll: true });
  }, [path]);
  const current = (href: string) => (path === href ? ('page' as const) : undefined);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand">
          Food shop
        </Link>
        <nav aria-label="Main">
          <Link href="/" aria-current={current('/')}>
            Shop
          </Link>
          <Link href="/cart" aria-current={current('/cart')}>
            Cart{count ? ` (${count})` : ''}
          </Link>
          {user ? (
            <>
              <Link href="/wishlist" aria-current={current('/wishlist')}>
                Wishlist
              </Link>
              <Link href="/orders" aria-current={current('/orders')}>
                Orders
              </Link>
              <Link href="/account" aria-current={current('/account')}>
                {user.name}
              </Link>
              {user.role === 'admin' && <Link href="/admin">Back office</Link>}
              <button type="button" class="link" onClick={() => void logout()}>
                Log out
              </button>
            </>
          ) : (
            <>
              <Link href="/login" aria-current={current('/login')}>
                Log in
              </Link>
              <Link href="/register" aria-current={current('/register')}>
                Register
              </Link>
            </>
          )}
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page />
      </main>
      <footer>
        <a href="/api/docs">API reference</a>
      </footer>
    </>
  );
}
