import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Store } from '#domain/store.js';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.js';
import { pgliteDatabase } from './pglite-database.js';
import { sqlStore } from './sql-store.js';

/**
 * The embedded store in `dir` (made on the first start), locked to this process until it is
 * closed: PGlite serves one process only.
 */
export async function openPgliteStore(dir: string): Promise<Store> {
  mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dir);
  try {
    if (!existsSync(join(dir, 'PG_VERSION'))) await initPglite(dir);
    return await sqlStore(pgliteDatabase(await PGlite.create(dir)), async () => unlock());
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * A new PGlite directory, made by a child process (pglite-init.ts says why) in a folder beside
 * it and moved in once complete, PG_VERSION last: a directory that has PG_VERSION is whole, and
 * one that lacks it (a start that was killed) is made again. The caller holds the directory's
 * lock, so what is left beside it or in it belongs to a start that died.
 */
async function initPglite(dir: string) {
  const building = `${dir}.init-${process.pid}`;
  for (const name of readdirSync(dirname(dir))) {
    if (name.startsWith(`${basename(dir)}.init-`)) rmSync(join(dirname(dir), name), { recursive: true, force: true });
  }
  for (const name of readdirSync(dir)) if (name !== LOCK_FILE) rmSync(join(dir, name), { recursive: true, force: true });
  try {
    // The same extension as this file: .ts under tsx, .js when compiled. Node's options are not
    // inherited (a profiler or a test runner's hooks are this process's, not the child's).
    const extension = extname(fileURLToPath(import.meta.url));
    const script = fileURLToPath(new URL(`./pglite-init${extension}`, import.meta.url));
    const execArgv = extension === '.ts' ? ['--import', 'tsx'] : [];
    const child = fork(script, [building], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`Creating the embedded database in ${dir} failed (exit code ${code})`);
    const names = readdirSync(building).sort((a, b) => Number(a === 'PG_VERSION') - Number(b === 'PG_VERSION'));
    for (const name of names) renameSync(join(building, name), join(dir, name));
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}
