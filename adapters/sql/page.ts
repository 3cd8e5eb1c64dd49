import type { SqlClient } from './sql-database.js';

interface Statement {
  text: string;
  params: unknown[];
}

/**
 * A page of rows that carry the number of all matches as `total`, from a subquery in the same
 * statement (one point in time; a window `count(*) OVER ()` would make PostgreSQL read every
 * match before the LIMIT). Past the last page no row carries it, so it is then counted on its own.
 */
export async function pageOf<Row extends { total?: number }>(db: SqlClient, page: Statement, count: Statement, offset: number) {
  const rows = await db.query<Row>(page.text, page.params);
  const total = rows[0]?.total ?? (offset > 0 ? (await db.query<{ n: number }>(count.text, count.params))[0].n : 0);
  return { rows, total };
}
