import t from 'tap';
import pino from 'pino';
import { countMail } from '#platform/metrics.js';
import { createRuntimeMetrics } from '../runtime/metrics.js';
import { scrape } from './helpers/metrics.js';
import { eventually, newCustomer, startShop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

for (const target of targets) {
  t.test(`GET /metrics parses as Prometheus text and moves with calls and events, on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const metrics = () => scrape(`${shop.url}/metrics`);
    const before = await metrics();
    t.match(before.contentType, /^text\/plain; version=0\.0\.4/, 'the Prometheus text format');
    for (const [name, type] of [
      ['gateway_function_invocation_total', 'COUNTER'],
      ['gateway_functions_seconds', 'HISTOGRAM'],
      ['gateway_service_count', 'GAUGE'],
      ['shop_connector_deliveries_total', 'COUNTER'],
      ['shop_schedule_runs_total', 'COUNTER'],
      ['shop_queue_ready_messages', 'GAUGE'],
      ['shop_queue_dead_letters', 'GAUGE'],
      ['shop_outbox_unsent_events', 'GAUGE'],
      ['shop_outbox_oldest_unsent_age_seconds', 'GAUGE'],
      ['shop_mails_total', 'COUNTER'],
      ['process_resident_memory_bytes', 'GAUGE'],
    ] as const) {
      t.equal(before.families.get(name)?.type, type, `${name} is a ${type.toLowerCase()}`);
    }
    t.equal(before.value('gateway_service_count', { function_name: 'list-products' }), 1, 'every function is counted as a service');
    t.equal(before.value('shop_queue_dead_letters', { queue: 'reserve-stock' }), 0, 'a queue per event-driven function');
    t.ok(before.families.get('shop_outbox_unsent_events')?.metrics.length, 'the outbox backlog is read at the scrape');

    // Calls, at the public route and at /function/<name>, each with its status.
    const calls = { function_name: 'list-products', code: '200' };
    for (let i = 0; i < 3; i++) t.equal((await shop.call('GET', '/api/products')).status, 200);
    t.equal((await shop.call('GET', '/function/list-products')).status, 200);
    t.equal((await shop.call('GET', '/api/products?limit=1000')).status, 400);
    const after = await metrics();
    t.equal(after.value('gateway_function_invocation_total', calls) - before.value('gateway_function_invocation_total', calls), 4, 'each call counted once');
    t.equal(after.count('gateway_functions_seconds', calls) - before.count('gateway_functions_seconds', calls), 4, 'and timed');
    t.equal(after.value('gateway_function_invocation_total', { function_name: 'list-products', code: '400' }), 1, 'by status');
    t.equal(after.value('gateway_function_invocation_total', { function_name: 'get-me', code: '405' }), 0, 'a wrong method is no call');

    // An event handled: a deleted account is forgotten by forget-user.
    const ann = await newCustomer(shop);
    t.equal((await shop.call('DELETE', '/api/users/me', { token: ann.accessToken, body: { currentPassword: ann.password } })).status, 204);
    const handled = { function_name: 'forget-user', outcome: 'handled' };
    t.ok(await eventually(async () => (await metrics()).value('shop_connector_deliveries_total', handled) >= 1), 'the delivery is counted as handled');

    // An event no function can take (no order in it): dead-lettered at once, and counted so.
    await shop.gateway.deps!.store.outbox.add([{ id: `bad-${Date.now()}`, type: 'order.placed', occurredAt: new Date().toISOString(), data: {} }]);
    const dead = await eventually(async () => {
      const now = await metrics();
      return now.value('shop_queue_dead_letters', { queue: 'reserve-stock' }) >= 1 ? now : null;
    });
    t.ok(dead, 'the dead letter shows in its queue');
    t.equal(dead!.value('shop_connector_deliveries_total', { function_name: 'reserve-stock', outcome: 'dead_lettered' }), 1, 'and as a delivery');
    const drained = await eventually(async () => {
      const now = await metrics();
      return now.value('shop_outbox_unsent_events') === 0 ? now : null;
    });
    t.ok(drained, 'the outbox is empty again');
    t.equal(drained!.value('shop_outbox_oldest_unsent_age_seconds'), 0, 'so nothing waits');

    // The mail functions count what they send.
    const mails = (await metrics()).value('shop_mails_total', { message: 'test-mail', outcome: 'sent' });
    countMail('test-mail', 'sent');
    t.equal((await metrics()).value('shop_mails_total', { message: 'test-mail', outcome: 'sent' }), mails + 1, 'a mail counted');
  });
}

t.test('a failure past the last retry counts as dead-lettered, earlier ones as retried', async (t) => {
  const metrics = createRuntimeMetrics({ functions: ['f'], retries: 2, log: pino({ level: 'silent' }) });
  const failed = { outcome: 'retry', reason: 'HTTP 503', status: 503 } as const;
  metrics.delivered('f', failed, 1);
  metrics.delivered('f', failed, 2);
  metrics.delivered('f', failed, 3);
  metrics.delivered('f', { outcome: 'done' }, 1);
  metrics.delivered('f', { outcome: 'dead', reason: 'HTTP 422', status: 422 }, 1);
  const text = await metrics.render();
  t.match(text, /shop_connector_deliveries_total\{function_name="f",outcome="retried"\} 2\n/);
  t.match(text, /shop_connector_deliveries_total\{function_name="f",outcome="dead_lettered"\} 2\n/);
  t.match(text, /shop_connector_deliveries_total\{function_name="f",outcome="handled"\} 1\n/);
});
