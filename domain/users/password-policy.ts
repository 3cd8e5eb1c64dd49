import { DomainError } from '../errors.js';

export const MIN_PASSWORD_LENGTH = 10;

/** Whether a password is one of the most used ones (adapters/common-passwords.ts). */
export type IsCommonPassword = (password: string) => Promise<boolean>;

/** Why a new password is refused, or null. */
export async function passwordProblem(password: string, email: string, isCommon: IsCommonPassword) {
  if (password.length < MIN_PASSWORD_LENGTH) return `must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.toLowerCase() === email.toLowerCase()) return 'must not be the email address';
  // The first guesses of every attacker: a list of them is tried before anything else.
  if (await isCommon(password)) return 'is one of the most common passwords; choose another';
  return null;
}

/** Refuses a new password with 400 VALIDATION_FAILED, saying why. */
export async function requireGoodPassword(password: string, email: string, isCommon: IsCommonPassword, path = 'body.password') {
  const problem = await passwordProblem(password, email, isCommon);
  if (problem) throw new DomainError('VALIDATION_FAILED', `The password ${problem}`, [{ path, message: problem }]);
}
