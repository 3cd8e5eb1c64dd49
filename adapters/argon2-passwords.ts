import argon2 from 'argon2';
import type { PasswordHasher } from '#domain/ports.js';

/** argon2id at the OWASP minimum: 19 MiB of memory, 2 passes, 1 lane. */
export const owaspArgon2id = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function argon2Passwords(options = owaspArgon2id): PasswordHasher {
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
}
