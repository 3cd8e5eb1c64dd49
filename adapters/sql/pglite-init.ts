/**
 * Creates a new PGlite data directory and exits (`node pglite-init.ts <dir>`). initdb grows the
 * WebAssembly memory of the process that runs it to about 900 MB, and that memory is never given
 * back: run here, it goes away with this process, and the shop opens the finished directory at
 * a fraction of that.
 */
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) throw new Error('usage: pglite-init <data directory>');
// A start that is gone (killed, crashed) takes its half-made directory with it.
process.on('disconnect', () => process.exit(1));
const db = await PGlite.create(dir);
// PostgreSQL's 128 MB of shared buffers are WebAssembly memory here, touched as they fill and
// never given back; the shop's embedded data fits in far less (the operating system caches the
// files too). Read from postgresql.auto.conf at every later start.
await db.exec("ALTER SYSTEM SET shared_buffers = '32MB'");
await db.close();
// Listening for 'disconnect' holds the channel to the parent open: end explicitly.
process.exit(0);
