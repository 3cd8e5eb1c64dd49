import { z } from 'zod';
import { PruneFailed } from '#domain/retention.js';
import { defineFunction } from '#platform/define-function.js';

/** Scheduled daily (stack.yml `schedule`): removes what is past its retention (README, Retention). */
export default defineFunction({
  method: 'POST',
  access: 'internal',
  summary: 'Remove records past their retention (scheduled daily)',
  response: z.object({ removed: z.record(z.string(), z.number().int()) }),
  handler: async ({ deps, log }) => {
    try {
      const removed = await deps.pruning.prune();
      log.info({ removed }, 'prune: removed what was past its retention');
      return { removed };
    } catch (error) {
      // A 500: the run counts as failed, and the next day's run tries again.
      if (error instanceof PruneFailed) log.error({ removed: error.removed, failures: error.failures }, 'prune: some records could not be pruned');
      throw error;
    }
  },
});
