/**
 * A port opened on its first call: every method of `T` returns a promise, so each call can wait
 * for `open()` (run once, shared by every caller) and then call the real adapter. A function that
 * never calls the port never loads its adapter nor the library behind it.
 *
 * A failed open is not kept: the next call tries again (a service down at the first call may be
 * up at the next one).
 */
export function lazyPort<T extends object>(open: () => Promise<T>): T {
  let opened: Promise<T> | undefined;
  const target = () =>
    (opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    }));
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy({} as T, {
    get(_, name) {
      if (typeof name === 'symbol' || name === 'then') return undefined; // not a thenable
      let method = methods.get(name);
      if (!method) {
        method = async (...args: unknown[]) => {
          const port = (await target()) as Record<PropertyKey, (...a: unknown[]) => unknown>;
          return port[name](...args);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
}

/** `make()` run on the first call of the returned function, its result kept. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
