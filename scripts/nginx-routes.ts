/**
 * The public routes of stack.yml (annotation `com.shop.route`) as nginx locations: one per path
 * shape, each with the function every method calls there. Pure; scripts/nginx-config.ts renders it.
 */
import { parseDuration } from '../platform/config.js';
import type { FunctionSpec, Stack } from '../runtime/stack.js';

/** Annotation raising nginx's body limit for a function's route, such as `6m` for image uploads. */
export const BODY_SIZE_ANNOTATION = 'com.shop.max-body-size';

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export type Segment = { text: string } | { param: string };

export interface PublicRoute {
  fn: string;
  method: string;
  path: string;
  segments: Segment[];
  /** Seconds the function may run (its `exec_timeout`), so nginx waits as long and no longer. */
  execTimeout: number;
  /** nginx's body limit for this route, when it takes more than the general one. */
  maxBodySize?: string;
}

export const isParam = (s: Segment): s is { param: string } => 'param' in s;

function parsePath(fn: string, path: string): Segment[] {
  // A narrow alphabet keeps every path safe to paste into an nginx regex unquoted.
  if (!/^\/api(\/([A-Za-z0-9._~-]+|:[A-Za-z_]\w*))+$/.test(path)) {
    throw new Error(`${fn}: route path "${path}" must start with /api/ and use plain segments and :params`);
  }
  return path.split('/').slice(1).map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { text: s }));
}

/** The shape of a path, param names left out: `/api/users/:id` and `/api/users/:userId` are one location. */
export const shapeOf = (segments: Segment[]) => segments.map((s) => (isParam(s) ? ':' : s.text)).join('/');

/**
 * Static segments before params, segment by segment, as the runtime's router (find-my-way)
 * prefers them; nginx tries regex locations in this order and takes the first that matches.
 */
function bySpecificity(a: PublicRoute, b: PublicRoute) {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const [x, y] = [a.segments[i], b.segments[i]];
    if (isParam(x) !== isParam(y)) return isParam(x) ? 1 : -1;
    if (!isParam(x) && !isParam(y) && x.text !== y.text) return x.text < y.text ? -1 : 1;
  }
  return a.segments.length - b.segments.length || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method);
}

/** Does `route` also answer requests to every path of the location `shape`? */
const covers = (route: PublicRoute, shape: Segment[]) =>
  route.segments.length === shape.length &&
  route.segments.every((s, i) => isParam(s) || (!isParam(shape[i]) && shape[i].text === s.text));

/** `/function/<name>/<params by position>`, params taken from the location's named captures. */
function target(route: PublicRoute, shape: Segment[]) {
  const captures = shape.filter(isParam);
  const parts = route.segments.flatMap((s, i) => {
    if (!isParam(s)) return [];
    const here = shape[i];
    return [isParam(here) ? `$seg${captures.indexOf(here) + 1}` : here.text];
  });
  return ['/function', route.fn, ...parts].join('/');
}

/** OpenFaaS' own default when a function sets no exec_timeout. */
const DEFAULT_EXEC_TIMEOUT = 10;

const execTimeoutOf = (f: FunctionSpec) => Math.ceil(parseDuration(f.environment.exec_timeout, DEFAULT_EXEC_TIMEOUT));

function bodySizeOf(f: FunctionSpec) {
  const size = f.annotations[BODY_SIZE_ANNOTATION];
  if (size !== undefined && !/^\d+[km]$/.test(size)) throw new Error(`${f.name}: ${BODY_SIZE_ANNOTATION} "${size}" must be nginx's form, such as 6m`);
  return size;
}

export function publicRoutes(stack: Stack): PublicRoute[] {
  const routes = stack.functions
    .filter((f) => f.route)
    .map((f) => ({
      fn: f.name,
      method: f.route!.method,
      path: f.route!.path,
      segments: parsePath(f.name, f.route!.path),
      execTimeout: execTimeoutOf(f),
      maxBodySize: bodySizeOf(f),
    }));
  const seen = new Map<string, string>();
  for (const r of routes) {
    const key = `${r.method} ${shapeOf(r.segments)}`;
    if (seen.has(key)) throw new Error(`${r.fn} and ${seen.get(key)} both route ${r.method} ${r.path}`);
    seen.set(key, r.fn);
  }
  return routes.sort(bySpecificity);
}

export interface Location {
  shape: Segment[];
  /**
   * What each method calls, sorted by method. A method this path has no route of its own for
   * goes to the most specific param route that also matches it, as the runtime's router does.
   */
  methods: { route: PublicRoute; uri: string }[];
}

export function locations(routes: PublicRoute[]): Location[] {
  const shapes = new Map<string, Segment[]>();
  for (const r of routes) if (!shapes.has(shapeOf(r.segments))) shapes.set(shapeOf(r.segments), r.segments);
  return [...shapes.values()].map((shape) => {
    const methods = new Map<string, { route: PublicRoute; uri: string }>();
    for (const route of routes) {
      if (covers(route, shape) && !methods.has(route.method)) methods.set(route.method, { route, uri: target(route, shape) });
    }
    const byMethod = (m: string) => METHOD_ORDER.indexOf(m);
    return { shape, methods: [...methods.values()].sort((a, b) => byMethod(a.route.method) - byMethod(b.route.method)) };
  });
}


/** The longest exec_timeout among the functions a location calls. */
export const execTimeoutOfLocation = (loc: Location) => Math.max(...loc.methods.map(({ route }) => route.execTimeout));

/** The largest body limit a location's functions ask for, if any asks (the location serves them all). */
export function bodySizeOfLocation(loc: Location): string | undefined {
  const bytes = (size: string) => Number(size.slice(0, -1)) * (size.endsWith('m') ? 1024 * 1024 : 1024);
  const sizes = loc.methods.flatMap(({ route }) => (route.maxBodySize ? [route.maxBodySize] : []));
  return sizes.sort((a, b) => bytes(b) - bytes(a))[0];
}
