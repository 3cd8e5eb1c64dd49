import type { Model, mongo } from 'mongoose';

/**
 * The difference between the indexes a schema asks for and those a server lists, without I/O:
 * what is missing, what the schema does not name, and what differs in key or options.
 */

export type IndexKey = Record<string, mongo.IndexDirection>;

/** What a schema asks for: mongoose's `schema.indexes()` gives `[key, options]` pairs. */
export interface WantedIndex {
  key: IndexKey;
  name: string;
  options: Record<string, unknown>;
}

/** What `listIndexes` answers, in the part we compare. */
export interface ServerIndex {
  key: IndexKey;
  name: string;
  [option: string]: unknown;
}

export interface IndexDiff {
  /** In the schema, not on the server: created at start-up. */
  missing: WantedIndex[];
  /** On the server, not in the schema: kept, unless dropped on purpose. */
  extra: ServerIndex[];
  /** The schema's name or key on the server with other options: only a drop and a new build change it. */
  changed: { wanted: WantedIndex; found: ServerIndex }[];
}

// The options that change what an index does; the rest (background, version) do not.
const compared = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'] as const;

/** The name the driver gives an index that names none: `deletedAt_1_createdAt_-1`. */
const defaultName = (key: IndexKey) => Object.entries(key).map(([field, kind]) => `${field}_${kind}`).join('_');

// Key order matters (it is the index's sort order), so keys compare as ordered lists.
const sameKey = (a: IndexKey, b: IndexKey) => JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));

const sameOptions = (wanted: Record<string, unknown>, found: Record<string, unknown>) =>
  compared.every((option) =>
    option === 'unique' || option === 'sparse'
      ? Boolean(wanted[option]) === Boolean(found[option])
      : JSON.stringify(wanted[option]) === JSON.stringify(found[option]),
  );

export function wantedIndexes(model: Pick<Model<unknown>, 'schema'>): WantedIndex[] {
  return model.schema.indexes().map(([key, options = {}]) => {
    const kinds = Object.values(key);
    // Text indexes and collations come back from the server rewritten (_fts keys, filled-in locales).
    if (kinds.includes('text') || options.collation) throw new Error(`the index diff does not compare text indexes or collations (${JSON.stringify(key)})`);
    return { key: key as IndexKey, name: options.name ?? defaultName(key as IndexKey), options };
  });
}

export function diffIndexes(wanted: WantedIndex[], server: ServerIndex[]): IndexDiff {
  const unmatched = server.filter((index) => index.name !== '_id_');
  const take = (index: ServerIndex) => unmatched.splice(unmatched.indexOf(index), 1)[0];
  const diff: IndexDiff = { missing: [], extra: [], changed: [] };
  for (const index of wanted) {
    // An index with the same key and options serves the schema, whatever an operator named it.
    const same = unmatched.find((found) => sameKey(found.key, index.key) && sameOptions(index.options, found));
    const clash = same ? undefined : unmatched.find((found) => found.name === index.name || sameKey(found.key, index.key));
    if (same) take(same);
    else if (clash) diff.changed.push({ wanted: index, found: take(clash) });
    else diff.missing.push(index);
  }
  diff.extra = unmatched;
  return diff;
}
