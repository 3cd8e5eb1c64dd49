/** Paths of the history API (the runtime and Nginx answer index.html for every page path). */
import type { ComponentChildren } from 'preact';
import { store, useStore } from './store';

export const here = store({ path: location.pathname, query: new URLSearchParams(location.search) });

export function navigate(to: string, replace = false) {
  const url = new URL(to, location.origin);
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  here.value = { path: url.pathname, query: url.searchParams };
  window.scrollTo(0, 0);
}

addEventListener('popstate', () => {
  here.value = { path: location.pathname, query: new URLSearchParams(location.search) };
});

export const useRoute = () => useStore(here);

/** A link that changes page without a reload; a modified click opens a tab as usual. */
export function Link({ href, children, class: className, ...rest }: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' }) {
  return (
    <a
      href={href}
      class={className}
      {...rest}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

/** `/products/:id` against a path: the params, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = (path.length > 1 ? path.replace(/\/$/, '') : path).split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i] ?? '');
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
