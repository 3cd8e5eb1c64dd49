import { createHash, randomBytes } from 'node:crypto';
import { unauthenticated } from '../errors.js';
import type { Clock, IdGenerator, KeyValueStore, PasswordHasher, TokenSigner } from '../ports.js';
import type { Attempts } from './attempts.js';
import type { Credentials } from './inputs.js';
import { publicUser, type Role, type UserRecord, type UserRepository } from './user.js';

export interface SessionLimits {
  accessTokenTtl: number;
  refreshTokenTtl: number;
}

export interface Caller {
  userId: string;
  role: Role;
  tokenId: string;
  expiresAt: number;
  /** The session (refresh-token family) the access token belongs to. */
  familyId?: string;
}

export interface SessionsDeps {
  users: UserRepository;
  passwords: PasswordHasher;
  signer: TokenSigner;
  kv: KeyValueStore;
  clock: Clock;
  ids: IdGenerator;
  limits: SessionLimits;
  attempts: Attempts;
}

interface RefreshRecord {
  userId: string;
  familyId: string;
}

const key = {
  refresh: (hash: string) => `auth:refresh:${hash}`,
  refreshUsed: (hash: string) => `auth:refresh-used:${hash}`,
  familyRevoked: (familyId: string) => `auth:family-revoked:${familyId}`,
  families: (userId: string) => `auth:families:${userId}`,
  accessRevoked: (jti: string) => `auth:access-revoked:${jti}`,
  userRevokedAt: (userId: string) => `auth:user-revoked-at:${userId}`,
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
const badCredentials = () => unauthenticated('Email or password is wrong');
const badRefreshToken = () => unauthenticated('Refresh token is invalid, expired or already used');

/**
 * Login, refresh-token rotation with reuse detection, logout and access-token checks.
 * Access tokens are short-lived JWTs; refresh tokens are random strings kept (hashed)
 * in the key-value store, grouped in families: a token used twice revokes its family.
 */
export function createSessions({ users, passwords, signer, kv, clock, ids, limits, attempts }: SessionsDeps) {
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  // Verifying against a real hash when the email is unknown keeps both failures equally slow.
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= passwords.hash(randomBytes(16).toString('hex')));

  async function issue(user: UserRecord, familyId: string) {
    const accessToken = await signer.sign(
      { sub: user.id, role: user.role, jti: ids(), gen: clock.now().getTime(), fam: familyId },
      limits.accessTokenTtl,
    );
    const refreshToken = randomBytes(32).toString('base64url');
    const record: RefreshRecord = { userId: user.id, familyId };
    await kv.set(key.refresh(sha256(refreshToken)), JSON.stringify(record), { ttlSeconds: limits.refreshTokenTtl });
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer' as const,
      expiresIn: limits.accessTokenTtl,
      user: publicUser(user),
    };
  }

  async function findRefresh(refreshToken: string) {
    const hash = sha256(refreshToken);
    const raw = await kv.get(key.refresh(hash));
    return raw ? { hash, ...(JSON.parse(raw) as RefreshRecord) } : null;
  }

  // A revoked family's refresh tokens and access tokens (they carry it as `fam`) stop working.
  const revokeFamily = (familyId: string) =>
    kv.set(key.familyRevoked(familyId), '1', { ttlSeconds: limits.refreshTokenTtl }).then(() => undefined);

  return {
    async login({ email, password }: Credentials, { ip }: { ip: string }) {
      await attempts.passwordCheck(email, ip);
      const user = await users.findByEmail(email);
      const ok = await passwords.verify(user?.passwordHash ?? (await decoy()), password);
      if (!user || !ok) throw badCredentials();
      await attempts.passwordAccepted(email, ip);
      const familyId = ids();
      // Each user's families are listed, so every session can be ended at once (password change, deletion).
      await kv.addToSet(key.families(user.id), familyId, limits.refreshTokenTtl);
      return issue(user, familyId);
    },

    async refresh(refreshToken: string) {
      const found = await findRefresh(refreshToken);
      if (!found || (await kv.get(key.familyRevoked(found.familyId)))) throw badRefreshToken();
      const firstUse = await kv.set(key.refreshUsed(found.hash), '1', {
        ttlSeconds: limits.refreshTokenTtl,
        ifAbsent: true,
      });
      if (!firstUse) {
        // A used token presented again means it leaked: end every session of this family.
        await revokeFamily(found.familyId);
        throw badRefreshToken();
      }
      const user = await users.findById(found.userId);
      if (!user) throw badRefreshToken();
      return issue(user, found.familyId);
    },

    async logout(caller: Caller, refreshToken: string) {
      const found = await findRefresh(refreshToken);
      if (found && found.userId === caller.userId) await revokeFamily(found.familyId);
      const remaining = caller.expiresAt - nowSeconds();
      if (remaining > 0) await kv.set(key.accessRevoked(caller.tokenId), '1', { ttlSeconds: remaining });
    },

    /** The caller behind an `Authorization: Bearer …` header, or UNAUTHENTICATED. */
    async authenticate(authorization: string | undefined): Promise<Caller> {
      const match = /^Bearer ([\w.~+/=-]+)$/i.exec(authorization ?? '');
      if (!match) throw unauthenticated();
      const claims = await signer.verify(match[1]).catch(() => {
        throw unauthenticated('Access token is invalid or expired');
      });
      const [revoked, revokedAt, familyRevoked] = await kv.getMany([
        key.accessRevoked(claims.jti),
        key.userRevokedAt(claims.sub),
        key.familyRevoked(claims.fam ?? ''),
      ]);
      if (revoked || familyRevoked || (revokedAt && claims.gen <= Number(revokedAt))) {
        throw unauthenticated('Access token was revoked; log in again');
      }
      return { userId: claims.sub, role: claims.role as Role, tokenId: claims.jti, expiresAt: claims.exp, familyId: claims.fam };
    },

    /** Ends every session of the user (refresh and access tokens), except the one named. */
    async endSessions(userId: string, except?: string) {
      const families = await kv.setMembers(key.families(userId));
      await Promise.all(families.filter((familyId) => familyId !== except).map(revokeFamily));
      // Revoked families stay listed until the list expires: harmless, and a login racing with
      // this call can never drop out of the list unrevoked.
      if (!except) await kv.delete(key.families(userId));
    },

    /** Every access token issued to the user until now stops working. */
    async revokeAccess(userId: string) {
      await kv.set(key.userRevokedAt(userId), String(clock.now().getTime()), { ttlSeconds: limits.accessTokenTtl });
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
