/**
 * The one client of the shop's API, typed by the OpenAPI document (api.d.ts is generated from it
 * by `npm run build:web`). Every page calls `api.GET('/api/…')` etc.; no wrapper per route.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { session, signOut, tokens } from './session';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
/** The JSON of an operation's success answer, e.g. `Answer<'/api/users/me', 'get'>`. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? Json<R[Extract<keyof R, 200 | 201 | 202>]>
  : never;
export type User = Answer<'/api/users/me', 'get'>['user'];
export type Product = Answer<'/api/products/{id}', 'get'>['product'];
export type Order = Answer<'/api/orders/{id}', 'get'>['order'];
export type Cart = Answer<'/api/cart', 'get'>;
export type Slot = Answer<'/api/delivery/slots', 'get'>['items'][number];
export type Zone = Answer<'/api/admin/delivery-zones/{id}', 'get'>['zone'];

/** An unsent copy of each signed call (its body is read once by fetch), for the one retry after a renewal. */
const copies = new WeakMap<Request, Request>();

/** The access token on every call; an expired one is renewed once with the refresh token. */
const auth: Middleware = {
  onRequest({ request }) {
    const token = tokens.value?.accessToken;
    if (!token || request.headers.has('authorization')) return request;
    request.headers.set('authorization', `Bearer ${token}`);
    copies.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    const copy = copies.get(request);
    if (response.status !== 401 || !copy || request.url.includes('/api/auth/')) return response;
    const renewed = await renew();
    if (!renewed) return response;
    copy.headers.set('authorization', `Bearer ${renewed}`);
    return fetch(copy);
  },
};

let renewing: Promise<string | null> | null = null;
function renew() {
  renewing ??= (async () => {
    const refreshToken = tokens.value?.refreshToken;
    const answer = refreshToken
      ? await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) })
      : null;
    if (!answer?.ok) {
      signOut();
      return null;
    }
    const body = (await answer.json()) as Answer<'/api/auth/refresh', 'post'>;
    tokens.value = { accessToken: body.accessToken, refreshToken: body.refreshToken };
    session.value = body.user;
    return body.accessToken;
  })().finally(() => (renewing = null));
  return renewing;
}

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

/** An error answer of the API, `{"error":{"code","message","details?"}}`. */
export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

/** The message of an error answer, for a page-level notice. */
export const problem = (error: unknown) => (error as ApiError | undefined)?.error?.message ?? 'Something went wrong; try again.';

/** Per-field messages of a 400 answer: `details` is `[{path: "body.email", message}]`. */
export function fieldErrors(error: unknown): Record<string, string> {
  const { details, message } = (error as ApiError | undefined)?.error ?? {};
  const out: Record<string, string> = {};
  if (!Array.isArray(details)) return out;
  // A business refusal may name its field without words of its own (UNKNOWN_CATEGORY): the error's message then.
  for (const item of details as { path?: string; message?: string }[]) {
    if (!item.path) continue;
    const field = item.path.replace(/^(body|query|params)\./, '');
    out[field] ??= item.message ?? message ?? 'Not accepted';
    // `postcodes.0` concerns the field `postcodes` too.
    out[field.split('.')[0]] ??= out[field];
  }
  return out;
}

/** An amount in minor units, in its currency (a zone's amounts are in the shop's, unnamed: a plain number). */
export const money = (cents: number, currency?: string) =>
  new Intl.NumberFormat(undefined, currency ? { style: 'currency', currency } : { minimumFractionDigits: 2 }).format(cents / 100);
