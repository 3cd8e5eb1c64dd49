/** The back office (its own chunk, loaded on the first visit to /admin): one page per area. */
import { SignedIn } from '../guard';
import { Link, match } from '../router';
import { Categories } from './categories';
import { Dashboard } from './dashboard';
import { Delivery } from './delivery';
import { AdminOrders, SlotOrders } from './orders';
import { AdminOrder } from './order';
import { ProductEditor, Products } from './products';
import { Users } from './users';

const areas = [
  ['/admin', 'Dashboard'],
  ['/admin/products', 'Products'],
  ['/admin/categories', 'Categories'],
  ['/admin/orders', 'Orders'],
  ['/admin/delivery', 'Delivery'],
  ['/admin/users', 'Users'],
] as const;

function page(path: string) {
  if (path === '/admin' || path === '/admin/') return <Dashboard />;
  if (path === '/admin/products') return <Products />;
  const product = match('/admin/products/:id', path);
  if (product) return <ProductEditor id={product.id} />;
  if (path === '/admin/categories') return <Categories />;
  if (path === '/admin/orders') return <AdminOrders />;
  const order = match('/admin/orders/:id', path);
  if (order) return <AdminOrder id={order.id} />;
  const slot = match('/admin/slots/:id', path);
  if (slot) return <SlotOrders slotId={slot.id} />;
  if (path === '/admin/delivery') return <Delivery />;
  if (path === '/admin/users') return <Users />;
  return <p>No back-office page at {path}.</p>;
}

export default function Admin({ path }: { path: string }) {
  return (
    <SignedIn admin>
      <div class="admin">
        <nav aria-label="Back office" class="subnav">
          {areas.map(([href, label]) => (
            <Link href={href} aria-current={path === href || (href !== '/admin' && path.startsWith(href)) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        {page(path)}
      </div>
    </SignedIn>
  );
}
