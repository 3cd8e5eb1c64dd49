import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import t from 'tap';
import { PG_TIMEOUTS, REDIS_COMMAND_TIMEOUT_MS } from '#platform/connections.js';
import { postgresUrl } from './helpers/targets.js';

/** A stalled service fails the call within its timeout, below the connector's 30 s for a step. */

t.test('PostgreSQL sessions carry a statement timeout and end stalled transactions', { skip: postgresUrl ? false : 'DATABASE_URL not set: SKIPPED' }, async (t) => {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 1, ...PG_TIMEOUTS });
  t.teardown(() => pool.end());
  const [{ statement_timeout }] = (await pool.query('SHOW statement_timeout')).rows;
  const [{ idle_in_transaction_session_timeout: idle }] = (await pool.query('SHOW idle_in_transaction_session_timeout')).rows;
  t.same([statement_timeout, idle], ['15s', '15s']);
  await t.rejects(pool.query("SET LOCAL statement_timeout = '50ms'; SELECT pg_sleep(1)"), /statement timeout/, 'a statement past it fails');
});

t.test('a Redis that stops answering fails the command instead of holding it', async (t) => {
  // Accepts the connection, never answers.
  const silent = createServer(() => undefined).listen(0, '127.0.0.1');
  await new Promise((resolve) => silent.once('listening', resolve));
  t.teardown(() => silent.close());
  const { port } = silent.address() as { port: number };
  const redis = new Redis({ port, host: '127.0.0.1', enableReadyCheck: false, maxRetriesPerRequest: 0, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  t.teardown(() => redis.disconnect());
  await t.rejects(redis.get('anything'), /timed out/);
});
