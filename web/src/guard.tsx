/** Pages for signed-in people: a visitor is sent to log in, and comes back after. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { navigate } from './router';
import { session } from './session';
import { useStore } from './store';

export function SignedIn({ children, admin }: { children: ComponentChildren; admin?: boolean }) {
  const user = useStore(session);
  useEffect(() => {
    if (!user) navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
  }, [user]);
  if (!user) return null;
  if (admin && user.role !== 'admin') return <p role="alert">This page is for the shop's admins.</p>;
  return <>{children}</>;
}
