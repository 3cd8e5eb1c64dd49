import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { FAKE_STRIPE_JS } from './stripe-js-fake.js';

/** A PaymentIntent as the stand-in keeps it: the fields the adapter and the tests read. */
export interface StandInIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  capture_method: string;
  client_secret: string;
  status: 'requires_payment_method' | 'requires_capture' | 'succeeded' | 'canceled';
  metadata: Record<string, string>;
  /** Refunded so far (the stand-in's own note; Stripe keeps it on the charge). */
  refunded: number;
}

export interface StripeStandIn {
  /** `http://127.0.0.1:<port>`: STRIPE_API_URL. */
  url: string;
  secretKey: string;
  /** The publishable key the fake Stripe.js (served at `/v3/`) confirms intents with. */
  publishableKey: string;
  webhookSecret: string;
  /** The environment that aims the shop here. */
  env: Record<string, string>;
  intents: Map<string, StandInIntent>;
  /** Calls that reached it: `POST /v1/payment_intents`, … */
  requests: { method: string; path: string; params: Record<string, string>; idempotencyKey?: string }[];
  /** While true, every call answers 500 (Stripe down). */
  down: boolean;
  /** The intent made for an order (its metadata), if any. */
  intentOf(orderId: string): StandInIntent | undefined;
  /** The customer pays: the card is authorised for the whole amount. */
  authorize(intentId: string): StandInIntent;
  /** The customer's card is declined. */
  decline(intentId: string): StandInIntent;
  /** A webhook notification about the intent as it is now, signed with the SDK's test helper (`timestamp` in seconds). */
  notification(type: string, intent: StandInIntent, options?: { id?: string; timestamp?: number; secret?: string }): { payload: string; signature: string; id: string };
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(6).toString('hex')}` }).end(JSON.stringify(body));
const refuse = (res: ServerResponse, status: number, message: string, code = 'invalid_request') =>
  send(res, status, { error: { type: status === 401 ? 'authentication_error' : 'invalid_request_error', code, message } });

async function readForm(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * A local stand-in for the calls of Stripe's API the card adapter makes, so the real SDK runs in
 * tests: create, retrieve, capture and cancel PaymentIntents, and create refunds, with Stripe's
 * idempotency keys (the same key answers the first answer again) and its error shape.
 */
export async function startStripeStandIn(): Promise<StripeStandIn> {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const publishableKey = `pk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(12).toString('hex')}`;
  const intents = new Map<string, StandInIntent>();
  const requests: StripeStandIn['requests'] = [];
  const answered = new Map<string, { status: number; body: unknown }>();
  const stripe = new Stripe(secretKey);
  let seq = 0;
  const newId = (prefix: string) => `${prefix}_${(++seq).toString(36)}${randomBytes(8).toString('hex')}`;

  function handle(method: string, path: string, params: Record<string, string>): { status: number; body: unknown } {
    const fail = (status: number, message: string, code?: string) => ({ status, body: { error: { type: 'invalid_request_error', code, message } } });
    if (method === 'POST' && path === '/v1/payment_intents') {
      const id = newId('pi');
      const intent: StandInIntent = {
        id,
        object: 'payment_intent',
        amount: Number(params.amount),
        amount_capturable: 0,
        amount_received: 0,
        currency: params.currency,
        capture_method: params.capture_method ?? 'automatic',
        client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
        status: 'requires_payment_method',
        metadata: Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (/^metadata\[(.+)\]$/.test(k) ? [[k.slice(9, -1), v]] : []))),
        refunded: 0,
      };
      if (!Number.isInteger(intent.amount) || intent.amount < 1) return fail(400, 'Invalid amount', 'parameter_invalid_integer');
      intents.set(id, intent);
      return { status: 200, body: intent };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intents.get(params.payment_intent);
      if (!intent) return fail(404, 'No such payment_intent', 'resource_missing');
      if (intent.status !== 'succeeded') return fail(400, 'This PaymentIntent has no charge to refund', 'charge_not_refundable');
      const amount = params.amount ? Number(params.amount) : intent.amount_received - intent.refunded;
      if (amount < 1 || intent.refunded + amount > intent.amount_received) return fail(400, 'Refund amount is greater than unrefunded amount', 'amount_too_large');
      intent.refunded += amount;
      return { status: 200, body: { id: newId('re'), object: 'refund', amount, payment_intent: intent.id, status: 'succeeded' } };
    }
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    const intent = match && intents.get(match[1]);
    if (!match || !intent) return fail(404, 'No such payment_intent', 'resource_missing');
    if (method === 'GET' && !match[2]) return { status: 200, body: intent };
    if (method === 'POST' && match[2] === 'capture') {
      if (intent.status !== 'requires_capture') return fail(400, `This PaymentIntent could not be captured because it has a status of ${intent.status}`, 'payment_intent_unexpected_state');
      const amount = params.amount_to_capture ? Number(params.amount_to_capture) : intent.amount_capturable;
      if (amount > intent.amount_capturable) return fail(400, 'amount_to_capture is greater than amount_capturable', 'amount_too_large');
      Object.assign(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
      return { status: 200, body: intent };
    }
    if (method === 'POST' && match[2] === 'cancel') {
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        return fail(400, `You cannot cancel this PaymentIntent because it has a status of ${intent.status}`, 'payment_intent_unexpected_state');
      }
      Object.assign(intent, { status: 'canceled', amount_capturable: 0 });
      return { status: 200, body: intent };
    }
    return fail(404, `Unrecognized request URL (${method}: ${path})`);
  }

  const standIn: StripeStandIn = {
    url: '',
    secretKey,
    publishableKey,
    webhookSecret,
    env: {},
    intents,
    requests,
    down: false,
    intentOf: (orderId) => [...intents.values()].find((i) => i.metadata.orderId === orderId),
    authorize(intentId) {
      const intent = intents.get(intentId)!;
      return Object.assign(intent, { status: 'requires_capture', amount_capturable: intent.amount });
    },
    decline(intentId) {
      return Object.assign(intents.get(intentId)!, { status: 'requires_payment_method' });
    },
    notification(type, intent, { id = newId('evt'), timestamp = Math.floor(Date.now() / 1000), secret = webhookSecret } = {}) {
      const { refunded: _refunded, ...object } = intent;
      const payload = JSON.stringify({ id, object: 'event', api_version: '2025-01-01', created: timestamp, type, livemode: false, data: { object } }, null, 2);
      return { id, payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  /** What a browser asks: the fake Stripe.js, and the confirmation it sends with the publishable key. */
  function browserSide(method: string, path: string, params: Record<string, string>, res: ServerResponse) {
    if (method === 'GET' && (path === '/v3/' || path === '/v3')) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(FAKE_STRIPE_JS);
      return true;
    }
    const confirm = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(path);
    if (method !== 'POST' || !confirm) return false;
    res.setHeader('access-control-allow-origin', '*');
    const intent = intents.get(confirm[1]);
    if (params.key !== publishableKey) refuse(res, 401, 'Invalid API Key provided');
    else if (!intent || params.client_secret !== intent.client_secret) refuse(res, 404, 'No such payment_intent', 'resource_missing');
    else send(res, 200, standIn.authorize(intent.id));
    return true;
  }

  const server = createServer((req, res) => {
    void (async () => {
      const params = await readForm(req);
      const path = (req.url ?? '').split('?')[0];
      const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
      requests.push({ method: req.method!, path, params, ...(idempotencyKey ? { idempotencyKey } : {}) });
      if (standIn.down) return refuse(res, 500, 'Stripe is down (the stand-in was told so)', 'api_error');
      if (browserSide(req.method!, path, params, res)) return;
      if (req.headers.authorization !== `Bearer ${secretKey}`) return refuse(res, 401, 'Invalid API Key provided');
      const earlier = idempotencyKey && answered.get(`${req.method} ${idempotencyKey}`);
      if (earlier) return send(res, earlier.status, earlier.body);
      const answer = handle(req.method!, path, params);
      if (idempotencyKey && answer.status < 500) answered.set(`${req.method} ${idempotencyKey}`, { status: answer.status, body: structuredClone(answer.body) });
      send(res, answer.status, answer.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.env = {
    STRIPE_SECRET_KEY: secretKey,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_URL: standIn.url,
    STRIPE_PUBLISHABLE_KEY: publishableKey,
    STRIPE_JS_URL: `${standIn.url}/v3/`,
  };
  return standIn;
}
