import type { PGlite } from '@electric-sql/pglite';
import type { SqlDatabase } from './sql-database.js';

/** Embedded PostgreSQL (PGlite, WebAssembly): one process, one connection, same SQL. */
export function pgliteDatabase(db: PGlite): SqlDatabase {
  return {
    async query(text, params) {
      return (await db.query(text, params)).rows as never[];
    },
    transaction: (work) => db.transaction((tx) => work({ query: async (text, params) => (await tx.query(text, params)).rows as never[] })),
    async listen(channel, listener) {
      const unlisten = await db.listen(channel, () => listener());
      return async () => {
        if (!db.closed) await unlisten();
      };
    },
    close: () => db.close(),
  };
}
