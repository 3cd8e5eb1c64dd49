/** The event backbone: outbox relay, bus, connector and async calls. */
import { count, duration, durations, httpBase, portOrZero, text, toggle, url } from './kinds.js';
import { setting } from './setting.js';

export const events = {
  events: {
    amqpUrl: setting({
      env: 'AMQP_URL',
      kind: url(['amqp', 'amqps']),
      secret: true,
      unset: 'the in-process bus (same rules, in memory)',
      about: 'RabbitMQ (amqplib, reconnecting on its own) for events and async calls',
    }),
    prefix: setting({
      env: 'EVENTS_PREFIX',
      kind: text,
      default: 'shop',
      about: 'names on the broker: exchange `<prefix>.events`, queues `<prefix>.<function>.work`, …',
    }),
    /** Milliseconds before each retry of a failed delivery; then it is dead-lettered. */
    retryDelays: setting({
      env: 'EVENT_RETRY_DELAYS',
      kind: durations,
      default: '1s,5s,30s,2m,10m',
      about: 'waits before each retry of a failed delivery; then it is dead-lettered',
    }),
    prefetch: setting({ env: 'EVENT_PREFETCH', kind: count(), default: '32', about: 'deliveries in flight per function' }),
    queueMaxLength: setting({
      env: 'EVENT_QUEUE_MAX_LENGTH',
      kind: count(),
      default: '100000',
      about: "events a function's queue (and the unrouted queue) holds on RabbitMQ; beyond it the oldest go to its dead letters",
    }),
    /** Milliseconds. */
    callTimeoutMs: setting({
      env: 'EVENT_CALL_TIMEOUT',
      kind: duration({ unit: 'ms' }),
      default: '30s',
      about: 'how long a connector call may take before it counts as failed (and is retried)',
    }),
    /** Milliseconds. */
    outboxPollMs: setting({
      env: 'OUTBOX_POLL_INTERVAL',
      kind: duration({ unit: 'ms' }),
      default: '1s',
      about: "the outbox relay's fallback poll (commits wake it at once)",
    }),
    outboxRetentionHours: setting({ env: 'OUTBOX_RETENTION_HOURS', kind: count(), default: '168', about: 'hours sent events stay in the outbox, then `prune` removes them' }),
    asyncMaxQueued: setting({ env: 'ASYNC_MAX_QUEUED', kind: count(), default: '1000', about: 'async calls waiting at most (429 beyond)' }),
    asyncConcurrency: setting({ env: 'ASYNC_CONCURRENCY', kind: count(), default: '4', about: 'async calls run at once' }),
    /** Whether `npm start` runs the connector and the async worker itself. */
    connector: setting({
      env: 'CONNECTOR',
      kind: toggle,
      default: 'on',
      about: '`off`: this runtime runs no connector or async worker (they run on their own, `npm run connector`)',
    }),
  },
  /** `npm run connector` on its own. */
  connectorMain: {
    gatewayUrl: setting({
      env: 'GATEWAY_URL',
      kind: httpBase,
      default: 'http://127.0.0.1:8080',
      only: '`npm run connector`',
      about: 'the gateway it calls and lists functions from',
    }),
    /** Milliseconds. */
    refreshMs: setting({
      env: 'CONNECTOR_REFRESH',
      kind: duration({ unit: 'ms' }),
      default: '30s',
      only: '`npm run connector`',
      about: "how often it re-reads the gateway's function list",
    }),
    port: setting({ env: 'CONNECTOR_PORT', kind: portOrZero, default: '8081', only: '`npm run connector`', about: 'its port for `/healthz`, `/outbox` and `/metrics`' }),
    user: setting({
      env: 'BASIC_AUTH_USER',
      kind: text,
      secret: true,
      only: '`npm run connector`',
      unset: 'no basic auth',
      about: "the OpenFaaS gateway's basic-auth user (with `BASIC_AUTH_PASSWORD`)",
    }),
    password: setting({
      env: 'BASIC_AUTH_PASSWORD',
      kind: text,
      secret: true,
      only: '`npm run connector`',
      unset: 'no basic auth',
      about: "the OpenFaaS gateway's basic-auth password",
    }),
  },
  shopUrl: setting({
    env: 'SHOP_URL',
    kind: httpBase,
    only: '`npm run dead-letters`',
    unset: '`http://localhost:$PORT`',
    about: 'the running `npm start` it asks for dead letters when `AMQP_URL` is unset',
  }),
};
