/** The baseline: the least a fastify process can do, started the same way as the functions. */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ ready: 'bare-fastify', port: (app.server.address() as AddressInfo).port });
