import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Config } from '#platform/config.js';
import { buildDeps, type Deps } from '#platform/deps.js';
import { embeddedAdmin } from '#platform/first-admin.js';
import { mountFunction, type Mount } from '#platform/function-app.js';
import type { Definitions } from '../reference.js';
import type { FunctionSpec } from '../stack.js';

/** A function answers at `/function/<name>` (any method, the rest of the path by position) and at its public route. */
const gatewayMounts = (spec: FunctionSpec): Mount[] => [
  { url: `/function/${spec.name}`, anyMethod: true },
  { url: `/function/${spec.name}/*`, anyMethod: true },
  ...(spec.route ? [{ url: spec.route.path, anyMethod: false }] : []),
];

/** One set of dependencies for every function of this process, closed with the gateway; and a first admin. */
export async function startInProcess(app: FastifyInstance, config: Config): Promise<Deps> {
  const deps = await buildDeps(config, app.log);
  app.addHook('onClose', () => deps.close());
  await embeddedAdmin({ accounts: deps.accounts, users: deps.store.users, config }, app.log);
  return deps;
}

/** Every function mounted in this process, sharing one set of dependencies. */
const inProcessPlugin: FastifyPluginAsync<{ definitions: Definitions; deps: Deps }> = async (app, { definitions, deps }) => {
  for (const { spec, fn } of definitions) mountFunction(app, spec.name, fn, deps, gatewayMounts(spec));
};

export default inProcessPlugin;
