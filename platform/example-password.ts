/**
 * With real services, an ADMIN_PASSWORD that `.env.example` contains is refused: the file is in
 * the repository, so whatever it says is known to everyone who cloned it. `example` is its text
 * (undefined when the file is not there, as in a function image).
 */
export function examplePasswordProblem(password: string | undefined, example: string | undefined): string | undefined {
  const given = password?.trim().toLowerCase();
  if (!given || given.length < 4 || !example?.toLowerCase().includes(given)) return undefined;
  return (
    'ADMIN_PASSWORD (secret admin-password) is text of .env.example, which anyone who read the repository knows: ' +
    'with real services choose a password of your own, or unset it and run `npm run create-admin -- you@example.com`'
  );
}
