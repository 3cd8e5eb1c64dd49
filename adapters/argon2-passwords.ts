import type { PasswordHasher } from '#domain/ports.js';

/**
 * argon2id at the OWASP minimum: 19 MiB of memory, 2 passes, 1 lane (about 0.1 s here).
 * @node-rs/argon2 ships a prebuilt binary per platform (glibc and musl) as its own package,
 * so nothing compiles at install time. It is loaded on first use: most functions never see a
 * password, and the native module costs them memory and start-up time.
 */
// 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read).
export const owaspArgon2id = { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

export function argon2Passwords(options = owaspArgon2id): PasswordHasher {
  let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
  const load = () => (argon2 ??= import('@node-rs/argon2'));
  return {
    hash: async (password) => (await load()).hash(password, options),
    async verify(hashed, password) {
      const { verify } = await load();
      try {
        return await verify(hashed, password);
      } catch {
        return false; // not an argon2 hash at all
      }
    },
  };
}
