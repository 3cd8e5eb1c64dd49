import t from 'tap';
import { processRegistry } from '#platform/metrics.js';
import { eventually, newCustomer, startShop, uniqueEmail, type Shop } from './helpers/shop.js';
import { startSmtp, type Smtp } from './helpers/smtp.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

/** The send-welcome-mail row of /system/queues. */
const queue = async (shop: Shop, name = 'send-welcome-mail') =>
  ((await shop.call('GET', '/system/queues')).body as { name: string; ready: number; unacked: number; dead: number }[]).find((q) => q.name === name)!;
/** shop_mails_total for the welcome mail, by outcome. */
const counted = async (outcome: 'sent' | 'failed') =>
  (await processRegistry.getSingleMetric('shop_mails_total')!.get()).values.find((v) => v.labels.message === 'welcome' && v.labels.outcome === outcome)?.value ?? 0;
const welcomes = (smtp: Smtp, email: string) => smtp.to(email).filter((m) => /Welcome/.test(m.subject ?? ''));

for (const target of targets) {
  t.test(`mail delivery on ${target.name}`, async (t) => {
    const smtp = await startSmtp();
    t.teardown(() => smtp.close());
    // Retries soon and often: an outage of a few seconds is ridden out.
    const shop = await startShop(target, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://shop.test', EVENT_RETRY_DELAYS: '300ms,500ms,1s,1s,2s,2s,2s,2s,2s,2s' });
    t.teardown(() => shop.close());
    const internal = { 'x-internal-token': shop.gateway.deps!.config.internalToken ?? '' };

    await t.test('a redelivered event sends no second mail', async (t) => {
      const ann = await newCustomer(shop, 'Ann');
      await smtp.find(ann.email, /Welcome/);
      const event = { id: `redelivered-${Date.now()}`, type: 'user.registered', occurredAt: new Date().toISOString(), data: { userId: ann.id, email: ann.email, name: 'Ann' } };
      const send = () => shop.call('POST', '/function/send-welcome-mail', { headers: internal, body: event });
      t.match(await send(), { status: 200, body: { handled: 'now' } });
      await eventually(async () => welcomes(smtp, ann.email).length === 2 || null);
      t.match(await send(), { status: 200, body: { handled: 'before' } }, 'the handled-event record');
      // A crash after the send and before the handled-event record: the sent-mail record still holds.
      await shop.gateway.deps!.kv.delete(`events:handled:send-welcome-mail:${event.id}`);
      t.match(await send(), { status: 200, body: { handled: 'now' } });
      const all = await Promise.all(Array.from({ length: 20 }, send));
      t.ok(all.every((a) => a.status === 200 || a.status === 409), '20 at once: done or asked again later');
      t.equal(welcomes(smtp, ann.email).length, 2, 'the event sent one mail, the registration one');
    });

    await t.test('an SMTP outage (down, 4xx, 5xx) ends with every mail sent after it comes back', async (t) => {
      const before = smtp.connections();
      const [sentBefore, failedBefore] = [await counted('sent'), await counted('failed')];
      smtp.setMode('down');
      const emails = [uniqueEmail('o1'), uniqueEmail('o2'), uniqueEmail('o3')];
      for (const email of emails) {
        t.equal((await shop.call('POST', '/api/auth/register', { body: { email, password: 'correct horse 1', name: 'Out' } })).status, 201);
      }
      await eventually(async () => smtp.connections() > before + 1 || null);
      smtp.setMode('busy');
      await eventually(async () => smtp.connections() > before + 4 || null);
      smtp.setMode('broken');
      await eventually(async () => smtp.connections() > before + 6 || null);
      t.same(emails.flatMap((e) => welcomes(smtp, e)), [], 'nothing arrived during the outage');
      smtp.setMode('up');
      for (const email of emails) await smtp.find(email, /Welcome/);
      await eventually(async () => {
        const q = await queue(shop);
        return (q.ready === 0 && q.unacked === 0) || null;
      });
      t.same(emails.map((e) => welcomes(smtp, e).length), [1, 1, 1], 'each once');
      t.equal((await queue(shop)).dead, 0, 'none dead-lettered');
      t.equal((await counted('sent')) - sentBefore, 3, 'shop_mails_total counts each welcome sent once');
      t.ok((await counted('failed')) - failedBefore >= 3, 'and the tries the outage refused as failed');
    });

    await t.test('a bad recipient is recorded and not retried', async (t) => {
      const email = uniqueEmail('bounce');
      smtp.refuse.add(email.toLowerCase());
      t.equal((await shop.call('POST', '/api/auth/register', { body: { email, password: 'correct horse 1', name: 'Bo' } })).status, 201);
      await eventually(async () => smtp.rcptAttempts.get(email.toLowerCase()) || null);
      await eventually(async () => {
        const q = await queue(shop);
        return (q.ready === 0 && q.unacked === 0) || null;
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      t.equal(smtp.rcptAttempts.get(email.toLowerCase()), 1, 'tried once');
      t.equal((await queue(shop)).dead, 0, 'handled, not dead-lettered');
    });
  });
}

t.test('a server down for good: the mail is dead-lettered after the retries', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  smtp.setMode('down');
  const shop = await startShop(targets[0], { SMTP_URL: smtp.url, EVENT_RETRY_DELAYS: '100ms,100ms' });
  t.teardown(() => shop.close());
  await shop.call('POST', '/api/auth/register', { body: { email: uniqueEmail('dead'), password: 'correct horse 1', name: 'Dee' } });
  t.ok(await eventually(async () => (await queue(shop)).dead >= 2 || null, 60), 'both in the dead letters');
  t.equal(smtp.connections(), 3 + 3, 'three attempts each for the admin and the customer: the first and two retries');
});
