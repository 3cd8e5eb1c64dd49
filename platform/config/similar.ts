/** Names in the environment that look like a mistyped setting (`LOGIN_WINDOW_SECOND`). */

/** Edits (insert, delete, replace one character) from `a` to `b`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/**
 * One warning per name that is not a setting but is within one edit of one (two for names of
 * ten characters or more), or is one in another case: a setting that is silently not applied.
 */
export function similarNames(names: string[], known: string[]): string[] {
  const settings = new Set(known);
  return names.flatMap((name) => {
    if (settings.has(name)) return [];
    // Names whose lengths differ by more than the edits allowed are skipped before the distance,
    // which otherwise runs for every variable of the environment against every setting at start.
    const near = known.find((setting) => {
      const edits = setting.length >= 10 ? 2 : 1;
      return setting.toUpperCase() === name.toUpperCase() || (Math.abs(setting.length - name.length) <= edits && distance(name, setting) <= edits);
    });
    return near ? [`${name} is not a setting of the shop; did you mean ${near}? (it is unset, so its default applies)`] : [];
  });
}
