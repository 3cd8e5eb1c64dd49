import pg from 'pg';
import type { SqlDatabase } from './sql-database.js';

const RECONNECT_MS = 1000;

/** PostgreSQL through a pg pool the caller created (and owns the settings of). */
export function pgDatabase(pool: pg.Pool): SqlDatabase {
  return {
    async query(text, params) {
      return (await pool.query(text, params)).rows as never[];
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({ query: async (text, params) => (await client.query(text, params)).rows as never[] });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, listener) {
      // LISTEN belongs to one session for as long as it listens: a client of its own, with the
      // pool's settings, rather than one the pool would hand to a query later. A lost connection
      // is made again; notifications missed meanwhile are what a listener's polling is for.
      let client: pg.Client | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const again = () => {
        if (stopped || retry) return;
        retry = setTimeout(() => {
          retry = undefined;
          void connect();
        }, RECONNECT_MS);
      };
      const connect = async () => {
        const fresh = new pg.Client(pool.options);
        fresh.on('notification', () => listener());
        fresh.on('error', () => {
          client = undefined;
          fresh.end().catch(() => undefined);
          again();
        });
        try {
          await fresh.connect();
          await fresh.query(`LISTEN ${channel}`);
          client = fresh;
          if (stopped) await fresh.end();
        } catch {
          await fresh.end().catch(() => undefined);
          again();
        }
      };
      await connect();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        await client?.end().catch(() => undefined);
      };
    },
    close: () => pool.end(),
  };
}
