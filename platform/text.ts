/**
 * Text no store keeps faithfully: NUL (PostgreSQL refuses it in text columns) and lone UTF-16
 * surrogates (not Unicode at all; PostgreSQL refuses them, other stores replace them). With
 * the `u` flag a surrogate pair is one code point, so `\p{Cs}` matches only the lone halves.
 */
const unsafe = /[\0\p{Cs}]/u;

export const isSafeText = (text: string) => !unsafe.test(text);

/**
 * Where the first unsafe string or object key sits in a parsed input (`body.addresses.0.city`),
 * or null. It walks with a list rather than recursion, so a deeply nested body cannot overflow
 * the stack.
 */
export function findUnsafeText(value: unknown, where: string): string | null {
  const pending: [unknown, string][] = [[value, where]];
  while (pending.length) {
    const [item, path] = pending.pop()!;
    if (typeof item === 'string') {
      if (!isSafeText(item)) return path;
    } else if (item && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (!isSafeText(key)) return `${path} (a field name)`;
        pending.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/**
 * Whether every `name=value` of a query string percent-decodes to UTF-8. The query parser
 * leaves an undecodable part as it came (`%FF` stays the three characters `%FF`), and an
 * encoded lone surrogate (`%ED%A0%80`) arrives the same way: both are refused rather than
 * searched for literally.
 */
export function queryDecodes(url: string): boolean {
  const at = url.indexOf('?');
  if (at < 0) return true;
  return url
    .slice(at + 1)
    .split('&')
    .every((part) => {
      try {
        decodeURIComponent(part.replaceAll('+', ' '));
        return true;
      } catch {
        return false;
      }
    });
}
