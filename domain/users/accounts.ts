import { DomainError, notFound } from '../errors.js';
import type { EventFactory } from '../events.js';
import type { CallMeta, Clock, IdGenerator, KeyValueStore, PasswordHasher } from '../ports.js';
import { versionedCache, type Serializer } from '../versioned-cache.js';
import type { Attempts } from './attempts.js';
import type { AdminUserChange, NewAddress, ProfileChange, Registration } from './inputs.js';
import { passwordProblem, requireGoodPassword, type IsCommonPassword } from './password-policy.js';
import { publicUser, type PublicUser, type Role, type UserRecord, type UserRepository } from './user.js';

export const MAX_ADDRESSES = 20;

export interface AccountsDeps {
  users: UserRepository;
  passwords: PasswordHasher;
  clock: Clock;
  ids: IdGenerator;
  event: EventFactory;
  /** Ends every access token the user holds (role change, deletion). */
  revokeAccess(userId: string): Promise<void>;
  /** Ends the user's sessions (refresh-token families and their access tokens), but the one named. */
  endSessions(userId: string, except?: string): Promise<void>;
  attempts: Attempts;
  isCommonPassword: IsCommonPassword;
  /** Where profiles are cached (a bounded store: entries may vanish, never go stale). */
  cache: KeyValueStore;
}

/** Seconds a cached profile lives; every write through here makes it stale at once anyway. */
const PROFILE_TTL_SECONDS = 60;

/** The client behind a call, for the limits on what costs a password hash. */
export interface Client {
  ip: string;
}

/** Registration, profiles, addresses and the admin's user management. */
export function createAccounts({ users, passwords, clock, ids, event, revokeAccess, endSessions, attempts, isCommonPassword, cache }: AccountsDeps) {
  const existing = async (id: string) => (await users.findById(id)) ?? Promise.reject(notFound('User'));
  /** One user's cached `{user}`, versioned as the catalog is: a write makes every older copy unseen. */
  const profileCache = (id: string) => versionedCache(cache, PROFILE_TTL_SECONDS, { namespace: `profile:${id}` });
  /** A user as a write left it; the cached profile goes stale (after the commit, before the answer). */
  const found = async (user: UserRecord | null) => {
    const answer = publicUser(user ?? raise(notFound('User')));
    await profileCache(answer.id).invalidate();
    return answer;
  };

  async function create(input: Registration, role: Role, meta: CallMeta): Promise<PublicUser> {
    const now = clock.now();
    const user: UserRecord = {
      id: ids(),
      email: input.email,
      name: input.name,
      ...(input.phone ? { phone: input.phone } : {}),
      role,
      passwordHash: await passwords.hash(input.password),
      addresses: [],
      // The first admin's address comes from the operator's configuration, not from a form.
      emailVerified: role === 'admin',
      marketingEmails: false,
      createdAt: now,
      updatedAt: now,
    };
    await users.create(user, [event('user.registered', { userId: user.id, email: user.email, name: user.name }, meta)]);
    return publicUser(user);
  }

  /** A shop must keep an admin: the store refuses to delete the last one (LAST_ADMIN). */
  async function remove(id: string, meta: CallMeta) {
    if (!(await users.delete(id, [event('user.deleted', { userId: id }, meta)]))) throw notFound('User');
    await Promise.all([revokeAccess(id), profileCache(id).invalidate()]);
  }

  /** The current password, checked under the same limits as a login (a stolen token must not guess it). */
  async function confirmPassword(user: UserRecord, given: string | undefined, ip: string) {
    await attempts.passwordCheck(user.email, ip);
    if (!(await passwords.verify(user.passwordHash, given ?? ''))) throw new DomainError('WRONG_PASSWORD', 'The current password is wrong');
    await attempts.passwordAccepted(user.email, ip);
  }

  return {
    async register(input: Registration, { ip, ...meta }: CallMeta & Client) {
      await requireGoodPassword(input.password, input.email, isCommonPassword);
      await attempts.registration(ip);
      return create(input, 'customer', meta);
    },

    /** `{user}` as JSON text written by `serialize`, from the profile cache when it holds it (get-me on every page load). */
    profile: <S extends string>(id: string, serialize: Serializer<{ user: PublicUser }, S>) =>
      profileCache(id).text('user', async () => ({ user: publicUser(await existing(id)) }), serialize),

    async list(page: number, limit: number) {
      const { items, total } = await users.list((page - 1) * limit, limit);
      return { items: items.map(publicUser), page, limit, total };
    },

    /**
     * A new password ends every other session at once; the caller's own (`session`) goes on.
     * A new email needs the current password too, is unverified until its link is opened, and
     * `user.email_changed` sends a verification to it and a notice to the old one.
     */
    async updateProfile(id: string, change: ProfileChange, { session, ip, ...meta }: CallMeta & Client & { session?: string }) {
      const user = await existing(id);
      const email = change.email && change.email !== user.email ? change.email : undefined;
      let passwordHash: string | undefined;
      if (change.password) await requireGoodPassword(change.password, email ?? user.email, isCommonPassword);
      if (change.password || email) await confirmPassword(user, change.currentPassword, ip);
      if (change.password) passwordHash = await passwords.hash(change.password);
      const events = [
        ...(passwordHash ? [event('user.password_changed', { userId: id }, meta)] : []),
        ...(email ? [event('user.email_changed', { userId: id, email, previousEmail: user.email }, meta)] : []),
      ];
      const patch = { name: change.name, phone: change.phone, passwordHash, marketingEmails: change.marketingEmails, updatedAt: clock.now() };
      const updated = await found(await users.update(id, email ? { ...patch, email, emailVerified: false } : patch, events));
      if (passwordHash) await endSessions(id, session);
      return updated;
    },

    async updateUser(actorId: string, id: string, change: AdminUserChange) {
      const user = await existing(id);
      if (id === actorId && change.role && change.role !== user.role) {
        throw new DomainError('CANNOT_CHANGE_OWN_ROLE', 'An admin cannot change their own role');
      }
      const updated = await found(await users.update(id, { ...change, updatedAt: clock.now() }));
      // Tokens carry the role: end the old ones so the next refresh picks up the new role.
      if (change.role && change.role !== user.role) await revokeAccess(id);
      return updated;
    },

    async addAddress(id: string, input: NewAddress) {
      const added = await users.addAddress(id, { id: ids(), ...input }, clock.now(), MAX_ADDRESSES);
      if (added === 'full') throw new DomainError('TOO_MANY_ADDRESSES', `At most ${MAX_ADDRESSES} addresses`);
      return found(added);
    },

    /** One of the user's saved addresses, as an order copies it; null when it is not theirs. */
    async address(id: string, addressId: string) {
      const found = (await users.findById(id))?.addresses.find((a) => a.id === addressId);
      if (!found) return null;
      const { id: _id, ...address } = found;
      return address;
    },

    async removeAddress(id: string, addressId: string) {
      const user = await existing(id);
      if (!user.addresses.some((a) => a.id === addressId)) throw notFound('Address');
      return found(await users.removeAddress(id, addressId, clock.now()));
    },

    remove,

    /** A write made elsewhere (recovery) makes the cached profile stale. */
    profileChanged: (id: string) => profileCache(id).invalidate(),

    /** DELETE /api/users/me: the account goes only with its current password, as a new password needs it. */
    async removeSelf(id: string, currentPassword: string, { ip, ...meta }: CallMeta & Client) {
      await confirmPassword(await existing(id), currentPassword, ip);
      await remove(id, meta);
    },

    /**
     * The first admin, from configuration; an existing account is never changed. A password
     * that breaks the policy stops start-up while the admin is still to be created.
     */
    async ensureAdmin(email: string, password: string): Promise<'created' | 'exists' | 'not-admin'> {
      const user = await users.findByEmail(email);
      if (user) return user.role === 'admin' ? 'exists' : 'not-admin';
      const problem = await passwordProblem(password, email, isCommonPassword);
      if (problem) throw new DomainError('VALIDATION_FAILED', `ADMIN_PASSWORD (secret admin-password) is refused: the password ${problem}`);
      try {
        await create({ email, password, name: 'Administrator' }, 'admin', {});
        return 'created';
      } catch (error) {
        // Another process created it at the same moment.
        if (error instanceof DomainError && error.code === 'EMAIL_TAKEN') return 'exists';
        throw error;
      }
    },
  };
}

function raise(error: Error): never {
  throw error;
}

export type Accounts = ReturnType<typeof createAccounts>;
