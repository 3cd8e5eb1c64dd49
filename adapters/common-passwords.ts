import type { IsCommonPassword } from '#domain/users/password-policy.js';
import { MIN_PASSWORD_LENGTH } from '#domain/users/password-policy.js';

let common: Promise<Set<string>> | undefined;

/**
 * zxcvbn-ts's list of the most common passwords (about 49,000, from leaked password sets),
 * compared without regard to case. Only the entries long enough to pass the length rule are
 * kept (about 1,600). Loaded on first use, so functions that never see a new password do not
 * pay for decompressing the dictionary.
 */
export const isCommonPassword: IsCommonPassword = async (password) => {
  common ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) =>
      new Set(dictionary['passwords-common'].filter((p) => p.length >= MIN_PASSWORD_LENGTH).map((p) => p.toLowerCase())),
  );
  return (await common).has(password.toLowerCase());
};
