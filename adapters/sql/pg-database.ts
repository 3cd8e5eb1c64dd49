import type pg from 'pg';
import type { SqlDatabase } from './sql-database.js';

/** PostgreSQL through a pg pool the caller created (and owns the settings of). */
export function pgDatabase(pool: pg.Pool): SqlDatabase {
  return {
    async query(text, params) {
      return (await pool.query(text, params)).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({ query: async (text, params) => (await client.query(text, params)).rows });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
