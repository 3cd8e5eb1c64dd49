import cors from '@fastify/cors';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/**
 * A front-end developer's page on another origin may call the runtime directly, as it may call
 * the edge (Nginx answers CORS there, from the same CORS_ORIGINS). Only browsers' requests (with
 * an Origin) are CORS; any other OPTIONS is still 405. Not encapsulated: it covers every route.
 */
const corsPlugin: FastifyPluginAsync<{ origins: string[] }> = async (app, { origins }) => {
  if (!origins.length) return;
  const options = {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-call-id'],
    exposedHeaders: ['x-call-id', 'retry-after'],
    maxAge: 600,
  };
  await app.register(cors, { delegator: (request, done) => done(null, request.headers.origin ? options : { origin: false }) });
};

export default fp(corsPlugin, { name: 'shop-cors' });
