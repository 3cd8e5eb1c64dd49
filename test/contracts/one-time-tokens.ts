import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { tokenHash, type OneTimeToken, type OneTimeTokenStore } from '#domain/users/one-time-tokens.js';

export interface TokenStoreHost {
  tokens: OneTimeTokenStore;
  close(): Promise<void>;
}

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes));
const aToken = (overrides: Partial<OneTimeToken> = {}): OneTimeToken => ({
  hash: tokenHash(randomBytes(32).toString('base64url')),
  purpose: 'password-reset',
  userId: randomBytes(12).toString('hex'),
  email: 'ann@example.com',
  expiresAt: at(30),
  ...overrides,
});

/** What every OneTimeTokenStore must do; each adapter's test runs it on fresh storage. */
export function tokenStoreContract(t: Test, open: () => Promise<TokenStoreHost>) {
  let host: TokenStoreHost;
  t.beforeEach(async () => {
    host = await open();
  });
  t.afterEach(() => host.close());

  t.test('a token is found while live, used once, and never after its expiry', async (t) => {
    const token = aToken();
    await host.tokens.issue(token, at(0));
    t.match(await host.tokens.find('password-reset', token.hash, at(1)), { userId: token.userId, email: token.email });
    t.equal(await host.tokens.find('verify-email', token.hash, at(1)), null, 'only for its purpose');
    t.equal(await host.tokens.consume('verify-email', token.hash, at(1)), null);
    t.equal(await host.tokens.find('password-reset', token.hash, at(30)), null, 'expired at expiresAt');
    t.equal(await host.tokens.consume('password-reset', token.hash, at(31)), null, 'an expired one is never used');
    const other = aToken();
    await host.tokens.issue(other, at(0));
    t.match(await host.tokens.consume('password-reset', other.hash, at(2)), { userId: other.userId });
    t.equal(await host.tokens.consume('password-reset', other.hash, at(3)), null, 'used once');
    t.equal(await host.tokens.find('password-reset', other.hash, at(3)), null);
    t.equal(await host.tokens.consume('password-reset', tokenHash('unknown'), at(3)), null, 'unknown');
  });

  t.test('a new token ends the older ones of the user and purpose, no others', async (t) => {
    const first = aToken();
    const verify = aToken({ userId: first.userId, purpose: 'verify-email' });
    const someoneElse = aToken();
    for (const token of [first, verify, someoneElse]) await host.tokens.issue(token, at(0));
    const second = aToken({ userId: first.userId });
    await host.tokens.issue(second, at(1));
    t.equal(await host.tokens.consume('password-reset', first.hash, at(2)), null, 'the older one ended');
    t.ok(await host.tokens.consume('password-reset', second.hash, at(2)), 'the new one works');
    t.ok(await host.tokens.find('verify-email', verify.hash, at(2)), 'another purpose stays');
    t.ok(await host.tokens.find('password-reset', someoneElse.hash, at(2)), "another user's stays");
  });

  t.test('100 uses of one token at once: exactly one gets it', async (t) => {
    const token = aToken();
    await host.tokens.issue(token, at(0));
    const used = await Promise.all(Array.from({ length: 100 }, () => host.tokens.consume('password-reset', token.hash, at(1))));
    t.equal(used.filter(Boolean).length, 1);
  });

  t.test('prune deletes used and expired tokens only', async (t) => {
    const [used, expired, live] = [aToken(), aToken({ expiresAt: at(5) }), aToken({ expiresAt: at(120) })];
    for (const token of [used, expired, live]) await host.tokens.issue(token, at(0));
    await host.tokens.consume('password-reset', used.hash, at(1));
    t.equal(await host.tokens.prune(at(10)), 2);
    t.ok(await host.tokens.find('password-reset', live.hash, at(11)));
  });
}
