import { DomainError } from '../errors.js';

export const MIN_PASSWORD_LENGTH = 10;

/** Whether a password is one of the most used ones (adapters/common-passwords.ts). */
export type IsCommonPassword = (password: string) => Promise<boolean>;

/**
 * Words everyone who read this repository knows: those of the example password `.env.example`
 * once shipped (change-me-please) and the shop's name (food shop). A password made of nothing
 * else, whatever the case, separators, digits or symbols around them ("FoodShop2026!",
 * "please-change-me"), is refused: it is the first thing someone who knows the shop tries.
 */
export const KNOWN_WORDS = ['change', 'me', 'please', 'food', 'shop'];
const onlyKnownWords = new RegExp(`^(${KNOWN_WORDS.join('|')})+$`);

/** Why a new password is refused, or null. */
export async function passwordProblem(password: string, email: string, isCommon: IsCommonPassword) {
  if (password.length < MIN_PASSWORD_LENGTH) return `must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.toLowerCase() === email.toLowerCase()) return 'must not be the email address';
  if (onlyKnownWords.test(password.toLowerCase().replace(/[^a-z]/g, ''))) {
    return "is made of the example's words or the shop's name, which anyone who read the repository knows; choose another";
  }
  // The first guesses of every attacker: a list of them is tried before anything else.
  if (await isCommon(password)) return 'is one of the most common passwords; choose another';
  return null;
}

/** Refuses a new password with 400 VALIDATION_FAILED, saying why. */
export async function requireGoodPassword(password: string, email: string, isCommon: IsCommonPassword, path = 'body.password') {
  const problem = await passwordProblem(password, email, isCommon);
  if (problem) throw new DomainError('VALIDATION_FAILED', `The password ${problem}`, [{ path, message: problem }]);
}
