import type { KeyObject } from 'node:crypto';
// jose's own entry points: its index loads every JOSE algorithm and format (about 180 modules),
// which each function process would pay for at start.
import { calculateJwkThumbprint } from 'jose/jwk/thumbprint';
import { exportJWK } from 'jose/key/export';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';
import { LRUCache } from 'lru-cache';
import type { TokenClaims, TokenSigner } from '#domain/ports.js';

const ISSUER = 'food-shop';
const ALGORITHM = 'EdDSA';
/** Verified tokens remembered per process: about 2 MB at most. */
const VERIFIED_TOKENS = 5000;

export interface SigningKeys {
  /** Absent in functions that only check tokens. */
  privateKey?: KeyObject;
  publicKey: KeyObject;
}

/** JWT access tokens signed with an Ed25519 key; the key id is the public key's JWK thumbprint. */
export async function joseTokens({ privateKey, publicKey }: SigningKeys): Promise<TokenSigner> {
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));

  async function check(token: string): Promise<TokenClaims> {
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { issuer: ISSUER, audience: ISSUER, algorithms: [ALGORITHM] });
    if (protectedHeader.kid !== kid) throw new Error('unknown key id');
    const { sub, role, jti, gen, fam, exp } = payload;
    if (typeof sub !== 'string' || typeof role !== 'string' || typeof jti !== 'string' || typeof gen !== 'number' || typeof exp !== 'number') {
      throw new Error('token misses claims');
    }
    if (fam !== undefined && typeof fam !== 'string') throw new Error('token has a malformed family');
    return { sub, role, jti, gen, fam, exp } satisfies TokenClaims;
  }

  // Checking an Ed25519 signature costs more than all the rest of a request: the claims of tokens
  // seen lately are kept (bounded). A token is the same token when it comes back, so only its time
  // can run out; revocation is the caller's check, which never relies on this.
  const verified = new LRUCache<string, TokenClaims>({ max: VERIFIED_TOKENS });

  return {
    async sign({ sub, role, jti, gen, fam }, ttlSeconds) {
      if (!privateKey) throw new Error('This process has no private key to sign tokens with');
      return new SignJWT({ role, gen, ...(fam ? { fam } : {}) })
        .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
        .setSubject(sub)
        .setJti(jti)
        .setIssuer(ISSUER)
        .setAudience(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey);
    },
    async verify(token) {
      const known = verified.get(token);
      if (known && known.exp * 1000 > Date.now()) return known;
      const claims = await check(token);
      verified.set(token, claims);
      return claims;
    },
  };
}
