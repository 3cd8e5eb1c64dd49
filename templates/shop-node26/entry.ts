/**
 * The template's entry: boots fastify with one function mounted at `/`, behind of-watchdog
 * in http mode (the watchdog strips `/function/<name>` and forwards the rest of the path).
 * Locally the runtime starts it with FUNCTION_MODULE pointing at functions/<name>/index.ts.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { configOrExit } from '#platform/config.js';
import type { FunctionDefinition } from '#platform/define-function.js';
import { buildDeps } from '#platform/deps.js';
import { mountFunction } from '#platform/function-app.js';
import { createServer, serverTimeouts } from '#platform/server.js';

// Every setting and secret file is read (or refused) here, before anything starts.
const config = configOrExit(`function ${process.env.FUNCTION_NAME || ''}`.trim());
const { name, module, upstreamUrl, execTimeout } = config.fn;
const moduleUrl = module ? pathToFileURL(module).href : new URL('./index.js', import.meta.url).href;
// of-watchdog's conventions: it forwards to upstream_url and cuts calls after exec_timeout.
const port = Number(new URL(upstreamUrl).port);

// A request may take as long to arrive as the watchdog lets the function run (REQUEST_TIMEOUT and
// the other timeouts override it; platform/server.ts).
const timeouts = serverTimeouts(config.timeouts, execTimeout);
const app = createServer({ logLevel: config.logLevel, timeouts });
const fn = ((await import(moduleUrl)) as { default: FunctionDefinition }).default;
const deps = await buildDeps(config, app.log);
app.addHook('onClose', () => deps.close());
mountFunction(app, name, fn, deps, [
  { url: '/', anyMethod: true },
  { url: '/*', anyMethod: true },
]);

await app.listen({ port, host: '127.0.0.1' });
const { port: listening } = app.server.address() as AddressInfo;
app.log.info({ function: name, ...deps.adapters }, `function ${name} ready on port ${listening}`);
process.send?.({ ready: name, port: listening });

const stop = async () => {
  await app.close();
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
