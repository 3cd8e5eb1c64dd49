import t from 'tap';
import { memoryKv } from '#adapters/memory-kv.js';
import { createAttempts } from '#domain/users/attempts.js';

/** The limits on a clock the test moves: Retry-After is the time left, not the window. */
t.test('a refusal says when the window it hit ends', async (t) => {
  let now = 0;
  const kv = memoryKv({ now: () => now });
  t.teardown(() => kv.close());
  const attempts = createAttempts(kv, { window: 900, maxPerEmailAndIp: 2, maxPerEmail: 5, maxPerIp: 100, registerMaxPerIp: 1, resetMaxPerEmail: 5, resetMaxPerIp: 20 });
  await attempts.passwordCheck('ann@example.com', '10.0.0.1');
  now += 300_000;
  await attempts.passwordCheck('Ann@Example.com', '10.0.0.1');
  await t.rejects(attempts.passwordCheck('ann@example.com', '10.0.0.1'), { code: 'RATE_LIMITED', details: { retryAfterSeconds: 600 } });
  await attempts.passwordCheck('ann@example.com', '10.0.0.2'); // another client: its own count
  // The right password: this client's count and the account's start again, from now (300 s).
  await attempts.passwordAccepted('ann@example.com', '10.0.0.1');
  await attempts.passwordCheck('ann@example.com', '10.0.0.1');
  now += 100_000;
  for (const ip of ['10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']) await attempts.passwordCheck('ann@example.com', ip);
  await t.rejects(
    attempts.passwordCheck('ann@example.com', '10.0.0.7'),
    { code: 'RATE_LIMITED', details: { retryAfterSeconds: 800 } },
    'the per-email ceiling, in a window from the reset',
  );
  await attempts.registration('10.0.0.9');
  await t.rejects(attempts.registration('10.0.0.9'), { code: 'RATE_LIMITED', details: { retryAfterSeconds: 900 } });
});

t.test("only failures count: the owner's own logins never bring the account nearer its ceiling", async (t) => {
  const kv = memoryKv();
  t.teardown(() => kv.close());
  const attempts = createAttempts(kv, { window: 900, maxPerEmailAndIp: 3, maxPerEmail: 5, maxPerIp: 1000, registerMaxPerIp: 1, resetMaxPerEmail: 5, resetMaxPerIp: 20 });
  for (let i = 0; i < 20; i++) {
    await attempts.passwordCheck('ann@example.com', '10.0.0.1');
    await attempts.passwordAccepted('ann@example.com', '10.0.0.1');
  }
  // Four failures from elsewhere, then the owner: still in, and the count starts again.
  for (const ip of ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4']) await attempts.passwordCheck('ann@example.com', ip);
  await attempts.passwordCheck('ann@example.com', '10.0.0.1');
  await attempts.passwordAccepted('ann@example.com', '10.0.0.1');
  for (const ip of ['10.0.2.1', '10.0.2.2', '10.0.2.3', '10.0.2.4', '10.0.2.5']) await attempts.passwordCheck('ann@example.com', ip);
  await t.rejects(attempts.passwordCheck('ann@example.com', '10.0.2.6'), { code: 'RATE_LIMITED' }, 'five failures reach the ceiling');
});

t.test('a burst of guesses at once gets no more through than one by one', async (t) => {
  const kv = memoryKv();
  t.teardown(() => kv.close());
  const attempts = createAttempts(kv, { window: 900, maxPerEmailAndIp: 100, maxPerEmail: 5, maxPerIp: 1000, registerMaxPerIp: 1, resetMaxPerEmail: 5, resetMaxPerIp: 20 });
  const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => attempts.passwordCheck('ann@example.com', `10.0.3.${i}`)));
  t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 5);
});
