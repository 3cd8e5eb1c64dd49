/** `npm start`: the whole shop on one port, on embedded defaults unless service URLs are set. */
import { createServer } from 'node:net';
import { configOrExit } from '#platform/config.js';
import { createGateway } from './gateway.js';
import { loadStack } from './stack.js';

/** One sentence and exit code 1: what went wrong and what to do, never a stack trace. */
const fail = (sentence: string): never => {
  console.error(`food shop cannot start: ${sentence}`);
  process.exit(1);
};

// Every setting and secret file is read (or refused) here, before anything starts.
const config = configOrExit('food shop');
const { host } = config;

// A busy port is found before minutes go into starting the rest.
await new Promise<void>((resolve) => {
  const probe = createServer()
    .once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? `port ${config.port} on ${host} is in use (another npm start?); stop that process or set PORT to a free port.`
          : `cannot listen on ${host}:${config.port} (${error.code ?? error.message}); check HOST and PORT.`,
      ),
    )
    .listen(config.port, host, () => probe.close(() => resolve()));
});

const isolated = process.argv.includes('--isolated') || config.runtimeMode === 'isolated';
const stack = loadStack(config.stackFile);
// A person at a terminal reads lines; a log collector reads JSON (LOG_FORMAT=json forces it).
const pretty = Boolean(process.stdout.isTTY) && config.logFormat !== 'json';

const gateway = await createGateway({ stack, config, isolated, pretty }).catch((error: Error) => fail(error.message));
const { app, mode, adapters } = gateway;
await gateway.listen({ port: config.port, host }).catch((error: Error) => fail(error.message));
app.log.info(
  { mode, functions: stack.functions.length, ...adapters },
  `food shop ready at http://localhost:${config.port} (${mode}, ${stack.functions.length} functions)`,
);
const embedded = Object.entries(adapters).filter(([, what]) => what.includes('not for production'));
if (embedded.length) {
  app.log.warn(`embedded defaults in use (${embedded.map(([k]) => k).join(', ')}): fine for development, not for production`);
}

// A stop finishes the calls and deliveries in flight, within SHUTDOWN_TIMEOUT: what is still
// running then is retried after the restart (deliveries are at least once). A second signal
// ends the process at once.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) {
      app.log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    app.log.info(`${signal}: shutting down (at most ${config.shutdownTimeout} s)`);
    setTimeout(() => {
      app.log.warn(`still shutting down after ${config.shutdownTimeout} s (SHUTDOWN_TIMEOUT): exiting; what was in flight is retried`);
      process.exit(1);
    }, config.shutdownTimeout * 1000).unref();
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
