import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The lock's file in the data directory: everything else there is PGlite's. */
export const LOCK_FILE = 'shop.lock';

/**
 * PGlite serves one process, and a second process opening the same directory damages the
 * database. A lock file with our pid keeps a second one out (npm start twice, or the seed
 * while the shop runs); a lock left by a process that has gone is taken over.
 * Answers the function that releases the lock.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (holder && alive(holder)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${holder} (npm start or npm run seed). ` +
            'PGlite serves one process only: stop that process first, or set DATABASE_URL.',
          { cause: error },
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
