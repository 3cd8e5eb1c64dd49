import apiReference from '@scalar/fastify-api-reference';
import type { FastifyPluginAsync } from 'fastify';
import { apiDocument, type Definitions } from '../reference.js';

/**
 * `GET /api/openapi.json`, made from the function definitions when the runtime starts, and the
 * reference page at `/api/docs` (Scalar, served from here: it works offline).
 */
const apiReferencePlugin: FastifyPluginAsync<{ definitions: Definitions }> = async (app, { definitions }) => {
  const document = apiDocument(definitions);
  app.get('/api/openapi.json', async () => document);
  await app.register(apiReference, {
    routePrefix: '/api/docs',
    // Every operation in sight, nothing fetched from elsewhere (fonts), no vendor buttons.
    configuration: {
      url: '/api/openapi.json',
      title: 'Food shop API',
      defaultOpenAllTags: true,
      withDefaultFonts: false,
      showDeveloperTools: 'never',
      hideClientButton: true,
    },
    logLevel: 'warn',
  });
};

export default apiReferencePlugin;
