/**
 * `npm run openapi > openapi.json`: the API reference the runtime serves at /api/openapi.json,
 * for hosting it where no runtime runs (an OpenFaaS deployment behind Nginx, a developer portal).
 */
import { configOrExit } from '../platform/config.js';
import { apiDocument, loadDefinitions } from '../runtime/reference.js';
import { loadStack } from '../runtime/stack.js';

const { stackFile } = configOrExit('openapi');
console.log(JSON.stringify(apiDocument(await loadDefinitions(loadStack(stackFile))), null, 2));
