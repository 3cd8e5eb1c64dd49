// The baseline: the least a fastify process can do. Plain JavaScript, so that node runs it
// without a TypeScript loader, as the compiled functions run in their containers.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ ready: 'bare-fastify', port: app.server.address().port });
// A clean exit on SIGTERM, as the functions have (and so a CPU profile with BENCH_CPU_PROF).
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
