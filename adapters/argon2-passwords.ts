import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '#domain/ports.js';

/**
 * argon2id at the OWASP minimum: 19 MiB of memory, 2 passes, 1 lane (about 0.1 s here).
 * @node-rs/argon2 ships a prebuilt binary per platform (glibc and musl) as its own package,
 * so nothing compiles at install time.
 */
// 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read).
export const owaspArgon2id = { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

export function argon2Passwords(options = owaspArgon2id): PasswordHasher {
  return {
    hash: (password) => hash(password, options),
    async verify(hashed, password) {
      try {
        return await verify(hashed, password);
      } catch {
        return false; // not an argon2 hash at all
      }
    },
  };
}
