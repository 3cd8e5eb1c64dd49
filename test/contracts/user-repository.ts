import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { DomainError } from '#domain/errors.js';
import type { DomainEvent, Outbox } from '#domain/ports.js';
import type { UserRecord, UserRepository } from '#domain/users/user.js';

export interface UserStore {
  users: UserRepository;
  outbox: Outbox;
  close(): Promise<void>;
}

const id = () => randomBytes(12).toString('hex');
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

export const aUser = (overrides: Partial<UserRecord> = {}): UserRecord => ({
  id: id(),
  email: `${id()}@Example.com`,
  name: 'Ann',
  role: 'customer',
  passwordHash: '$argon2id$fake',
  addresses: [],
  emailVerified: false,
  marketingEmails: false,
  createdAt: at(0),
  updatedAt: at(0),
  ...overrides,
});

const anEvent = (type: string, data: unknown): DomainEvent => ({
  id: id(),
  type,
  data,
  occurredAt: new Date().toISOString(),
  callId: 'call-1',
});

/** What every UserRepository (and its outbox) must do; each adapter's test runs it on fresh storage. */
export function userRepositoryContract(t: Test, open: () => Promise<UserStore>) {
  let store: UserStore;
  t.beforeEach(async () => {
    store = await open();
  });
  t.afterEach(() => store.close());

  t.test('create and find, by id and by email in any case', async (t) => {
    const user = aUser({ phone: '+1 555', addresses: [] });
    await store.users.create(user);
    t.same(await store.users.findById(user.id), user);
    t.same(await store.users.findByEmail(user.email.toUpperCase()), user);
    t.equal(await store.users.findById('nope'), null);
    t.equal(await store.users.findById('{"$ne":null}'), null, 'odd ids find nothing');
    t.equal(await store.users.findByEmail('nobody@example.com'), null);
  });

  t.test('an email taken in another case is EMAIL_TAKEN and stores nothing', async (t) => {
    const user = aUser();
    const event = anEvent('user.registered', { userId: 'x' });
    await store.users.create(user);
    const copy = aUser({ email: user.email.toLowerCase() });
    await t.rejects(store.users.create(copy, [event]), new DomainError('EMAIL_TAKEN', 'This email is already registered'));
    t.equal(await store.users.findById(copy.id), null);
    t.notOk((await store.outbox.pending(100)).some((e) => e.id === event.id), 'no event for a failed write');
  });

  t.test('writes store their events in the outbox, in order, until marked sent', async (t) => {
    const user = aUser();
    const registered = anEvent('user.registered', { userId: user.id, nested: { list: [1, 2] } });
    await store.users.create(user, [registered]);
    const deleted = anEvent('user.deleted', { userId: user.id });
    t.equal(await store.users.delete(user.id, [deleted]), true);
    t.same(await store.outbox.pending(10), [registered, deleted]);
    await store.outbox.markSent([registered.id]);
    t.same(await store.outbox.pending(10), [deleted]);
    t.equal(await store.users.delete(user.id, [anEvent('user.deleted', {})]), false, 'deleting twice');
    t.equal((await store.outbox.pending(10)).length, 1, 'no event when nothing was deleted');
  });

  t.test('update changes only what the patch names; phone null clears it', async (t) => {
    const user = aUser({ phone: '+44 20' });
    await store.users.create(user);
    const renamed = await store.users.update(user.id, { name: 'Anna', updatedAt: at(5) });
    t.same(renamed, { ...user, name: 'Anna', updatedAt: at(5) });
    const promoted = await store.users.update(user.id, { role: 'admin', passwordHash: 'h2', phone: null, updatedAt: at(6) });
    const { phone: _gone, ...rest } = user;
    t.same(promoted, { ...rest, name: 'Anna', role: 'admin', passwordHash: 'h2', updatedAt: at(6) });
    t.equal(await store.users.update('missing', { name: 'x', updatedAt: at(7) }), null);
  });

  t.test('a role outside the enum is refused and changes nothing', async (t) => {
    const user = aUser();
    await store.users.create(user);
    await t.rejects(store.users.update(user.id, { role: 'root' as UserRecord['role'], updatedAt: at(1) }));
    await t.rejects(store.users.update(user.id, { role: 'root' as UserRecord['role'], updatedAt: at(1) }, [anEvent('user.updated', {})]));
    t.same(await store.users.findById(user.id), user);
    t.same(await store.outbox.pending(10), [], 'no event for a refused write');
  });

  t.test('addresses are added and removed one by one', async (t) => {
    const user = aUser();
    await store.users.create(user);
    const home = { id: 'a1', label: 'Home', street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
    const work = { id: 'a2', street: '2 Side St', city: 'Shelbyville', postalCode: '54321', country: 'US' };
    await store.users.addAddress(user.id, home, at(1), 20);
    const both = await store.users.addAddress(user.id, work, at(2), 20);
    t.same(typeof both === 'object' && both?.addresses, [home, work]);
    const one = await store.users.removeAddress(user.id, 'a1', at(3));
    t.same(one?.addresses, [work]);
    t.same(one?.updatedAt, at(3));
    const none = await store.users.removeAddress(user.id, 'a2', at(4));
    t.same(none?.addresses, []);
    t.equal(await store.users.addAddress('missing', home, at(5), 20), null);
  });

  t.test('at most `max` addresses, also when 50 are added at once', async (t) => {
    const user = aUser();
    await store.users.create(user);
    const address = (i: number) => ({ id: `a${i}`, street: `${i} Main St`, city: 'Springfield', postalCode: '12345', country: 'US' });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => store.users.addAddress(user.id, address(i), at(1), 20)));
    t.equal(outcomes.filter((o) => o === 'full').length, 30, 'thirty refused');
    t.equal((await store.users.findById(user.id))?.addresses.length, 20, 'twenty stored');
    t.equal(await store.users.addAddress(user.id, address(99), at(2), 20), 'full');
  });

  t.test('the last admin can be neither deleted nor demoted', async (t) => {
    const admin = aUser({ role: 'admin' });
    await store.users.create(admin);
    const lastAdmin = { code: 'LAST_ADMIN' };
    await t.rejects(store.users.delete(admin.id, [anEvent('user.deleted', {})]), lastAdmin);
    await t.rejects(store.users.update(admin.id, { role: 'customer', updatedAt: at(1) }), lastAdmin);
    t.same(await store.users.findById(admin.id), admin, 'unchanged');
    t.same(await store.outbox.pending(10), [], 'no event for a refused write');
    const customer = aUser();
    await store.users.create(customer);
    t.equal(await store.users.delete(customer.id), true, 'a customer goes as ever');
    t.equal(await store.users.delete('missing'), false);
  });

  t.test('ten admins deleted at once: exactly one stays', async (t) => {
    const admins = Array.from({ length: 10 }, () => aUser({ role: 'admin' }));
    for (const admin of admins) await store.users.create(admin);
    const outcomes = await Promise.allSettled(admins.map((a) => store.users.delete(a.id, [anEvent('user.deleted', { userId: a.id })])));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    t.equal(refused.length, 1, 'one refused');
    t.match((refused[0] as PromiseRejectedResult | undefined)?.reason, { code: 'LAST_ADMIN' });
    const left = (await Promise.all(admins.map((a) => store.users.findById(a.id)))).filter(Boolean);
    t.equal(left.length, 1, 'one admin left');
    t.equal((await store.outbox.pending(100)).length, 9, 'an event for each deletion, none for the refused one');
  });

  t.test('ten admins demoted at once: exactly one stays admin', async (t) => {
    const admins = Array.from({ length: 10 }, () => aUser({ role: 'admin' }));
    for (const admin of admins) await store.users.create(admin);
    const outcomes = await Promise.allSettled(admins.map((a) => store.users.update(a.id, { role: 'customer', updatedAt: at(1) })));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    t.equal(refused.length, 1, 'one refused');
    t.match((refused[0] as PromiseRejectedResult | undefined)?.reason, { code: 'LAST_ADMIN' });
    const roles = await Promise.all(admins.map(async (a) => (await store.users.findById(a.id))?.role));
    t.equal(roles.filter((r) => r === 'admin').length, 1, 'exactly one admin left');
  });

  t.test('list pages newest first with the total', async (t) => {
    const users = [0, 1, 2, 3, 4].map((s) => aUser({ createdAt: at(s) }));
    for (const user of users) await store.users.create(user);
    const first = await store.users.list(0, 2);
    t.equal(first.total, 5);
    t.same(first.items.map((u) => u.id), [users[4].id, users[3].id]);
    const last = await store.users.list(4, 2);
    t.same(last.items.map((u) => u.id), [users[0].id]);
    const beyond = await store.users.list(10, 2);
    t.same(beyond, { items: [], total: 5 });
  });
}
