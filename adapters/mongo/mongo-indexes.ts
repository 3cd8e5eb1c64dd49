import type { Connection, Model, mongo } from 'mongoose';
import { mongoModels } from './models.js';

/**
 * The schema's indexes against the server's. Start-up only creates what is missing: with many
 * replicas starting at once, a drop from one (mongoose's syncIndexes) would remove an index
 * that an operator added or that the next version needs, and two drops of the same index make
 * one start-up fail. Dropping is left to the deploy step, `npm run db:indexes`, asked for on purpose.
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
    return { key: key as IndexKey, name: (options.name as string | undefined) ?? defaultName(key as IndexKey), options };
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

const inStep = (diff: IndexDiff) => !diff.missing.length && !diff.extra.length && !diff.changed.length;

export interface CollectionIndexes {
  model: Model<unknown>;
  collection: string;
  diff: IndexDiff;
  inStep: boolean;
}

const namespaceNotFound = (error: unknown) => (error as { codeName?: string }).codeName === 'NamespaceNotFound';

async function serverIndexes(model: Model<unknown>): Promise<ServerIndex[]> {
  try {
    return (await model.collection.listIndexes().toArray()) as ServerIndex[];
  } catch (error) {
    if (namespaceNotFound(error)) return [];
    throw error;
  }
}

/** Each collection of the store's models with the difference between its schema and the server. */
export async function compareIndexes(connection: Connection): Promise<CollectionIndexes[]> {
  const result: CollectionIndexes[] = [];
  for (const model of Object.values(mongoModels(connection)) as Model<unknown>[]) {
    const diff = diffIndexes(wantedIndexes(model), await serverIndexes(model));
    result.push({ model, collection: model.collection.collectionName, diff, inStep: inStep(diff) });
  }
  return result;
}

const create = (model: Model<unknown>, index: WantedIndex) =>
  model.collection.createIndex(index.key, { ...index.options, name: index.name });

/**
 * Start-up: the missing collections and indexes, nothing else. A create that races another
 * replica's is harmless (the same index is built once). Answers what it left for the deploy step.
 */
export async function createMissing(connection: Connection): Promise<string[]> {
  const notes: string[] = [];
  const existing = new Set((await connection.listCollections()).map((collection) => collection.name));
  for (const model of Object.values(mongoModels(connection)) as Model<unknown>[]) {
    if (existing.has(model.collection.collectionName)) continue;
    // Transactions cannot create collections, so every collection exists before the first write.
    await model.createCollection().catch((error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceExists') throw error;
    });
  }
  for (const { model, collection, diff } of await compareIndexes(connection)) {
    for (const index of diff.missing) await create(model, index);
    for (const { found } of diff.changed) {
      notes.push(`the index ${found.name} on ${collection} differs from the schema; run npm run db:indexes to see how, and with --apply --drop to rebuild it`);
    }
  }
  return notes;
}

/**
 * The deploy step: creates what is missing and, with `drop`, removes what the schema does not
 * name and rebuilds what differs (a changed index is absent between its drop and its new build).
 */
export async function applyIndexes(connection: Connection, { drop }: { drop: boolean }) {
  await createMissing(connection);
  if (!drop) return compareIndexes(connection);
  for (const { model, diff } of await compareIndexes(connection)) {
    for (const index of diff.extra) await model.collection.dropIndex(index.name);
    for (const { wanted, found } of diff.changed) {
      await model.collection.dropIndex(found.name);
      await create(model, wanted);
    }
  }
  return compareIndexes(connection);
}
