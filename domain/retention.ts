import type { Clock } from './ports.js';

/**
 * One kind of record the shop keeps only for a while. `prune` removes, in its own store, what is
 * past its retention at `now` (through that store's port: every adapter has it, and the port's
 * contract test checks it) and answers how many records went.
 */
export interface Retained {
  /** A short name for the answer and the log, listed in the README's Retention table. */
  name: string;
  /** How long a record is kept, in words for the README (`7 days after it was sent`). */
  keptFor: string;
  prune(now: Date): Promise<number>;
}

/** What one run removed, by the names of the retained kinds. */
export type Pruned = Record<string, number>;

export interface Pruning {
  /** Removes what is past its retention, kind by kind; one kind that fails does not keep the others from going. */
  prune(): Promise<Pruned>;
}

/** One or more kinds could not be pruned: the run failed (and is counted so), the others were done. */
export class PruneFailed extends Error {
  constructor(
    readonly removed: Pruned,
    readonly failures: Record<string, string>,
  ) {
    super(`pruning failed for ${Object.keys(failures).join(', ')}: ${Object.values(failures).join('; ')}`);
  }
}

/**
 * The `prune` schedule's service (functions/prune, daily). It knows nothing of the records
 * themselves: the list of retained kinds is handed in (platform/retention.ts builds it), so a new
 * kind of record kept for a while is one more entry there, never a change here.
 */
export function createPruning({ retained, clock }: { retained: Retained[]; clock: Clock }): Pruning {
  return {
    async prune() {
      const now = clock.now();
      const removed: Pruned = {};
      const failures: Record<string, string> = {};
      // One at a time: each may be a long delete, and none should compete with the shop's traffic.
      for (const kind of retained) {
        try {
          removed[kind.name] = await kind.prune(now);
        } catch (error) {
          failures[kind.name] = (error as Error).message;
        }
      }
      if (Object.keys(failures).length) throw new PruneFailed(removed, failures);
      return removed;
    },
  };
}
