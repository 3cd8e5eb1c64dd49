import type { ClientSession, Connection, mongo } from 'mongoose';

/**
 * How every transaction runs (a change with its outbox events): on the primary, reading a
 * majority-committed snapshot, and committed only once a majority of the replica set holds it,
 * so an election can neither roll back a change nor split it from its event, and a read after
 * the commit (the catalog cache's "never stale after a write") finds it.
 */
export const transactionOptions: mongo.TransactionOptions = {
  readPreference: 'primary',
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
};

/** Runs `work` in a transaction, retried by the driver on transient errors (a write conflict, an election). */
export const inTransaction = <T>(connection: Connection, work: (session: ClientSession) => Promise<T>): Promise<T> =>
  connection.transaction(work, transactionOptions);
