// The baseline: the least a fastify process can do. Plain JavaScript, so that node runs it
// without a TypeScript loader, as the compiled functions run in their containers.
// BODY_FILE=<file>: it answers that file's text as JSON instead (the fair baseline of an answer
// that size: the cached product listing is sent as stored JSON text, and so is this).
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const body = process.env.BODY_FILE ? readFileSync(process.env.BODY_FILE, 'utf8') : undefined;
const app = Fastify({ logger: false });
if (body === undefined) app.get('/', async () => ({ hello: 'world' }));
else app.get('/', (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ ready: 'bare-fastify', port: app.server.address().port });
// A clean exit on SIGTERM, as the functions have (and so a CPU profile with BENCH_CPU_PROF).
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
