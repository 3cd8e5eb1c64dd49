import t from 'tap';
import { memoryKv } from '#adapters/memory-kv.js';
import { createAttempts } from '#domain/users/attempts.js';

/** The limits on a clock the test moves: Retry-After is the time left, not the window. */
t.test('a refusal says when the window it hit ends', async (t) => {
  let now = 0;
  const kv = memoryKv({ now: () => now });
  t.teardown(() => kv.close());
  const attempts = createAttempts(kv, { window: 900, maxPerEmailAndIp: 2, maxPerEmail: 5, maxPerIp: 100, registerMaxPerIp: 1 });
  await attempts.passwordCheck('ann@example.com', '10.0.0.1');
  now += 300_000;
  await attempts.passwordCheck('Ann@Example.com', '10.0.0.1');
  await t.rejects(attempts.passwordCheck('ann@example.com', '10.0.0.1'), { code: 'RATE_LIMITED', details: { retryAfterSeconds: 600 } });
  await attempts.passwordCheck('ann@example.com', '10.0.0.2'); // another client: its own count
  await attempts.passwordAccepted('ann@example.com', '10.0.0.1');
  await attempts.passwordCheck('ann@example.com', '10.0.0.1'); // counted anew after the right password
  now += 100_000;
  await t.rejects(attempts.passwordCheck('ann@example.com', '10.0.0.3'), { code: 'RATE_LIMITED', details: { retryAfterSeconds: 500 } }, 'the per-email ceiling');
  await attempts.registration('10.0.0.9');
  await t.rejects(attempts.registration('10.0.0.9'), { code: 'RATE_LIMITED', details: { retryAfterSeconds: 900 } });
});
