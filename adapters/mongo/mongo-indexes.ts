import type { Connection, Model } from 'mongoose';
import { diffIndexes, wantedIndexes, type IndexDiff, type ServerIndex, type WantedIndex } from './index-diff.js';
import { mongoModels } from './models.js';

/**
 * The schema's indexes against the server's. Start-up only creates what is missing: with many
 * replicas starting at once, a drop from one (mongoose's syncIndexes) would remove an index
 * that an operator added or that the next version needs, and two drops of the same index make
 * one start-up fail. Dropping is left to the deploy step, `npm run db:indexes`, asked for on purpose.
 */

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
