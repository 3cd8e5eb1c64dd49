/**
 * The small query and transaction interface the SQL repositories use. PostgreSQL (pg)
 * and embedded PGlite each implement it, so one set of SQL serves both.
 */
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface SqlDatabase extends SqlClient {
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** LISTENs on a channel: `listener` runs for each NOTIFY that commits. Answers the function that stops. */
  listen(channel: string, listener: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** PostgreSQL error codes (SQLSTATE) that the repositories turn into domain errors. */
const sqlState = (error: unknown) => (error as { code?: string }).code;
export const uniqueViolation = (error: unknown) => sqlState(error) === '23505';
export const foreignKeyViolation = (error: unknown) => sqlState(error) === '23503';
export const checkViolation = (error: unknown) => sqlState(error) === '23514';
