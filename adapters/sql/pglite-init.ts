/**
 * Creates a new PGlite data directory and exits (`node pglite-init.ts <dir>`). initdb grows the
 * WebAssembly memory of the process that runs it to about 900 MB, and that memory is never given
 * back: run here, it goes away with this process, and the shop opens the finished directory at
 * half that size.
 */
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) throw new Error('usage: pglite-init <data directory>');
const db = await PGlite.create(dir);
await db.close();
