/** A value pages share (the signed-in user, the cart count, the address): read, set, watched by components. */
import { useEffect, useState } from 'preact/hooks';

export interface Store<T> {
  value: T;
  subscribe(listener: () => void): () => void;
}

export function store<T>(initial: T, persistAs?: string): Store<T> {
  const listeners = new Set<() => void>();
  let current = initial;
  if (persistAs) {
    const saved = localStorage.getItem(persistAs);
    if (saved) current = JSON.parse(saved) as T;
  }
  return {
    get value() {
      return current;
    },
    set value(next: T) {
      current = next;
      if (persistAs) {
        if (next === null || next === undefined) localStorage.removeItem(persistAs);
        else localStorage.setItem(persistAs, JSON.stringify(next));
      }
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The store's value, re-rendering the component when it changes. */
export function useStore<T>(s: Store<T>): T {
  const [, setTick] = useState(0);
  useEffect(() => s.subscribe(() => setTick((n) => n + 1)), [s]);
  return s.value;
}
