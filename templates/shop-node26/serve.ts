/**
 * Serves one function behind of-watchdog in http mode: fastify with the function mounted at `/`
 * (the watchdog strips `/function/<name>` and forwards the rest of the path) on upstream_url's
 * port. The image's bundle (bundle.mjs) calls it with the function of its build context; entry.ts
 * with the one FUNCTION_MODULE names.
 */
import type { AddressInfo } from 'node:net';
import { configOrExit, type Config } from '#platform/config.js';
import type { FunctionDefinition } from '#platform/define-function.js';
import { buildDeps } from '#platform/deps.js';
import { mountFunction } from '#platform/function-app.js';
import { createServer, serverTimeouts } from '#platform/server.js';

/** `config`: read (or refused) here when the caller has not read it: every setting and secret file, before anything starts. */
export async function serve(fn: FunctionDefinition, config: Config = configOrExit(`function ${process.env.FUNCTION_NAME || ''}`.trim())) {
  const { name, upstreamUrl, execTimeout } = config.fn;
  // of-watchdog's conventions: it forwards to upstream_url and cuts calls after exec_timeout.
  const port = Number(new URL(upstreamUrl).port);

  // A request may take as long to arrive as the watchdog lets the function run (REQUEST_TIMEOUT and
  // the other timeouts override it; platform/server.ts).
  const timeouts = serverTimeouts(config.timeouts, execTimeout);
  const app = createServer({ logLevel: config.logLevel, timeouts });
  // The services the handler uses are built on its first call (platform/deps.ts).
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
}
