import t from 'tap';
import { adminToken, newCustomer, startShop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

for (const target of targets) {
  t.test(`profiles and user management over HTTP on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());

    t.test('update-me changes the name and phone; a new password needs the current one', async (t) => {
      const ann = await newCustomer(shop);
      const token = ann.accessToken;
      const renamed = await shop.call('PATCH', '/api/users/me', { token, body: { name: 'Annie', phone: '+31 20 555 0000' } });
      t.equal(renamed.status, 200);
      t.match(renamed.body.user, { name: 'Annie', phone: '+31 20 555 0000', email: ann.email });
      const cleared = await shop.call('PATCH', '/api/users/me', { token, body: { phone: null } });
      t.notOk('phone' in cleared.body.user, 'phone null clears it');

      const missing = await shop.call('PATCH', '/api/users/me', { token, body: { password: 'brand new pass' } });
      t.equal(missing.status, 400);
      t.match(missing.body.error.details, [{ path: 'body.currentPassword' }]);
      const wrong = await shop.call('PATCH', '/api/users/me', { token, body: { password: 'brand new pass', currentPassword: 'nope nope' } });
      t.equal(wrong.status, 403);
      t.equal(wrong.body.error.code, 'WRONG_PASSWORD');
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } })).status, 200, 'old password still works after failures');

      const changed = await shop.call('PATCH', '/api/users/me', { token, body: { password: 'brand new pass', currentPassword: ann.password } });
      t.equal(changed.status, 200);
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } })).status, 401);
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: 'brand new pass' } })).status, 200);
    });

    t.test("the password policy refuses the example's words and the shop's name", async (t) => {
      for (const password of ['change-me-please', 'Please change me 2026', 'FoodShop2026!!', 'food shop food shop']) {
        const answer = await shop.call('POST', '/api/auth/register', { body: { email: `known-${Date.now()}@example.com`, password, name: 'Kim' } });
        t.equal(answer.status, 400, password);
        t.match(answer.body.error.details, [{ path: 'body.password', message: /example's words or the shop's name/ }]);
      }
      const fine = await shop.call('POST', '/api/auth/register', { body: { email: `fine-${Date.now()}@example.com`, password: 'shop for good food', name: 'Kim' } });
      t.equal(fine.status, 201, 'other words around them are fine');
    });

    t.test('addresses: add, list on the user, remove, unknown is 404', async (t) => {
      const ann = await newCustomer(shop);
      const token = ann.accessToken;
      const address = { label: 'Home', street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
      const added = await shop.call('POST', '/api/users/me/addresses', { token, body: address });
      t.equal(added.status, 201);
      t.match(added.body.user.addresses, [{ ...address, id: String }]);
      const second = await shop.call('POST', '/api/users/me/addresses', { token, body: { ...address, label: undefined, street: '2 Side St' } });
      t.equal(second.body.user.addresses.length, 2);
      const id = added.body.user.addresses[0].id;
      const removed = await shop.call('DELETE', `/api/users/me/addresses/${id}`, { token });
      t.equal(removed.status, 200);
      t.same(removed.body.user.addresses.map((a: { street: string }) => a.street), ['2 Side St']);
      t.equal((await shop.call('DELETE', `/api/users/me/addresses/${id}`, { token })).status, 404);
      t.equal((await shop.call('DELETE', '/function/remove-address/nope', { token })).status, 404);
      const me = await shop.call('GET', '/api/users/me', { token });
      t.equal(me.body.user.addresses.length, 1);
    });

    t.test('admins list, read, change and delete users', async (t) => {
      const admin = await adminToken(shop);
      const ann = await newCustomer(shop);
      const page = await shop.call('GET', '/api/users?page=1&limit=2', { token: admin });
      t.equal(page.status, 200);
      t.match(page.body, { page: 1, limit: 2, total: Number });
      t.equal(page.body.items.length, 2);
      t.ok(page.body.total >= 2);
      t.equal(page.body.items[0].id, ann.id, 'newest first');
      t.equal((await shop.call('GET', '/api/users?limit=0', { token: admin })).status, 400);
      t.equal((await shop.call('GET', '/api/users?limit=101', { token: admin })).status, 400);
      t.equal((await shop.call('GET', '/api/users?page=abc', { token: admin })).status, 400);

      const read = await shop.call('GET', `/api/users/${ann.id}`, { token: admin });
      t.equal(read.body.user.email, ann.email);
      const changed = await shop.call('PATCH', `/api/users/${ann.id}`, { token: admin, body: { name: 'Renamed' } });
      t.equal(changed.body.user.name, 'Renamed');
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).status, 200, 'a rename keeps sessions');

      const me = await shop.call('GET', '/api/users/me', { token: admin });
      const demoteSelf = await shop.call('PATCH', `/api/users/${me.body.user.id}`, { token: admin, body: { role: 'customer' } });
      t.equal(demoteSelf.status, 422);
      t.equal(demoteSelf.body.error.code, 'CANNOT_CHANGE_OWN_ROLE');

      t.equal((await shop.call('DELETE', `/api/users/${ann.id}`, { token: admin })).status, 204);
      t.equal((await shop.call('DELETE', `/api/users/${ann.id}`, { token: admin })).status, 404);
    });

    t.test('a cached profile never outlives a write: concurrent changes, an admin\'s change, a deletion', async (t) => {
      const admin = await adminToken(shop);
      const ann = await newCustomer(shop);
      const token = ann.accessToken;
      const profile = async (as = token, path = '/api/users/me') => (await shop.call('GET', path, { token: as })).body.user;
      t.equal((await profile()).name, 'Ann', 'read once, so it is cached');

      // Eight renames at once: whichever commits last is what the store holds, and what get-me says.
      const names = Array.from({ length: 8 }, (_, i) => `Ann the ${i + 1}th`);
      const renames = await Promise.all(names.map((name) => shop.call('PATCH', '/api/users/me', { token, body: { name } })));
      t.same(renames.map((r) => r.status), names.map(() => 200));
      // The admin's list reads the store itself, never the profile cache.
      const listed = await shop.call('GET', '/api/users?page=1&limit=100', { token: admin });
      const stored = listed.body.items.find((u: { id: string }) => u.id === ann.id);
      t.ok(names.includes(stored.name));
      t.equal((await profile()).name, stored.name, 'get-me answers what the store holds');
      t.equal((await profile(admin, `/api/users/${ann.id}`)).name, stored.name, 'and so does get-user');

      t.equal((await shop.call('PATCH', `/api/users/${ann.id}`, { token: admin, body: { name: 'Set by the admin' } })).status, 200);
      t.equal((await profile()).name, 'Set by the admin', "the admin's change is seen at once");
      t.equal((await shop.call('POST', '/api/users/me/addresses', { token, body: { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' } })).status, 201);
      t.equal((await profile()).addresses.length, 1, 'a new address is seen at once');

      t.equal((await shop.call('DELETE', `/api/users/${ann.id}`, { token: admin })).status, 204);
      t.equal((await shop.call('GET', `/api/users/${ann.id}`, { token: admin })).status, 404, 'a deleted user is gone from the cache too');
    });

    t.test('no answer ever carries a password hash', async (t) => {
      const admin = await adminToken(shop);
      const list = await shop.call('GET', '/api/users?limit=100', { token: admin });
      t.notMatch(list.text, /passwordHash|password_hash|\$argon2/);
      t.ok(list.body.items.every((u: object) => !('password' in u)));
    });

    t.test('deleting your own account needs your current password', async (t) => {
      const ann = await newCustomer(shop);
      const none = await shop.call('DELETE', '/api/users/me', { token: ann.accessToken });
      t.equal(none.status, 400, 'no password given');
      const wrong = await shop.call('DELETE', '/api/users/me', { token: ann.accessToken, body: { currentPassword: 'not the password' } });
      t.equal(wrong.status, 403);
      t.equal(wrong.body.error.code, 'WRONG_PASSWORD');
      t.equal((await shop.call('GET', '/api/users/me', { token: ann.accessToken })).status, 200, 'still there');
      t.equal((await shop.call('DELETE', '/api/users/me', { token: ann.accessToken, body: { currentPassword: ann.password } })).status, 204);
      t.equal((await shop.call('POST', '/api/auth/login', { body: { email: ann.email, password: ann.password } })).status, 401);
    });

    t.test('the last admin cannot go; with another admin, one can', async (t) => {
      const admin = await adminToken(shop);
      const me = (await shop.call('GET', '/api/users/me', { token: admin })).body.user;
      const alone = await shop.call('DELETE', '/api/users/me', { token: admin, body: { currentPassword: shop.admin.password } });
      t.equal(alone.status, 422);
      t.equal(alone.body.error.code, 'LAST_ADMIN');
      t.equal((await shop.call('DELETE', `/api/users/${me.id}`, { token: admin })).body.error.code, 'LAST_ADMIN');
      t.equal((await shop.call('PATCH', `/api/users/${me.id}`, { token: admin, body: { role: 'customer' } })).status, 422, 'nor demote themselves');

      const deputy = await newCustomer(shop, 'Deputy');
      await shop.call('PATCH', `/api/users/${deputy.id}`, { token: admin, body: { role: 'admin' } });
      const deputyToken = (await shop.call('POST', '/api/auth/login', { body: { email: deputy.email, password: deputy.password } })).body.accessToken;
      t.equal((await shop.call('DELETE', '/api/users/me', { token: deputyToken, body: { currentPassword: deputy.password } })).status, 204, 'two admins: one may go');
      t.equal((await shop.call('GET', '/api/users/me', { token: admin })).status, 200, 'the other stays');
    });
  });
}
