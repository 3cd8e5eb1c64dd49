/** `npm start`: the whole shop on one port, on embedded defaults unless service URLs are set. */
import { loadConfig } from '#platform/config.js';
import { createGateway } from './gateway.js';
import { loadStack } from './stack.js';

const config = loadConfig();
const isolated = process.argv.includes('--isolated') || process.env.RUNTIME_MODE === 'isolated';
const stack = loadStack(process.env.STACK_FILE ?? 'stack.yml');

let gateway;
try {
  gateway = await createGateway({ stack, config, isolated });
} catch (error) {
  console.error(`food shop failed to start: ${(error as Error).message}`);
  process.exit(1);
}
const { app, mode, adapters } = gateway;
await gateway.listen({ port: config.port, host: process.env.HOST ?? 'localhost' });
app.log.info(
  { mode, functions: stack.functions.length, ...adapters },
  `food shop ready at http://localhost:${config.port} (${mode}, ${stack.functions.length} functions)`,
);
const embedded = Object.entries(adapters).filter(([, what]) => what.includes('not for production'));
if (embedded.length) {
  app.log.warn(`embedded defaults in use (${embedded.map(([k]) => k).join(', ')}): fine for development, not for production`);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    app.log.info(`${signal}: shutting down`);
    await app.close();
    process.exit(0);
  });
}
