import type { SqlClient } from './sql-database.js';

interface Statement {
  text: string;
  params: unknown[];
}

/**
 * A page of rows that carry `count(*) OVER ()` as `total`. Past the last page the window
 * function has no row to ride on, so the total is then counted on its own.
 */
export async function pageOf<Row extends { total?: number }>(db: SqlClient, page: Statement, count: Statement, offset: number) {
  const rows = await db.query<Row>(page.text, page.params);
  const total = rows[0]?.total ?? (offset > 0 ? (await db.query<{ n: number }>(count.text, count.params))[0].n : 0);
  return { rows, total };
}
