// Image build step (the Dockerfile's build stage runs `node bundle.mjs`): the function, serve.ts
// and the shared code (platform, domain, adapters) with the packages they use, bundled by esbuild
// into dist/: entry.js (the function's start), warm.js (fills the compile cache, warm.ts) and the
// chunks they share: one holds everything a start loads; what only some calls need (a library
// loaded with `import()`: the token library, image-size, the cart store…) is a chunk of its own,
// read on first use. Source maps beside them, for stack traces (`node --enable-source-maps`).
import { build } from 'esbuild';

/**
 * Left out of the bundle, loaded from node_modules when a call needs them: native code (argon2),
 * WebAssembly and its files (PGlite), large libraries only some deployments use (the MongoDB driver,
 * the Cloudinary SDK) or only password changes read (the common-password list), pg's optional
 * native binding.
 */
export const external = ['@node-rs/argon2', '@electric-sql/pglite', 'mongoose', 'mongodb', 'cloudinary', '@zxcvbn-ts/language-common', 'pg-native'];

// The function's start: its definition (index.ts, from the handler folder) served by serve.ts.
const entry = {
  name: 'function-entry',
  setup(build) {
    build.onResolve({ filter: /^function-entry$/ }, () => ({ path: 'entry.ts', namespace: 'function-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'function-entry' }, () => ({
      contents: "import fn from './index.ts';\nimport { serve } from './serve.ts';\nawait serve(fn);\n",
      resolveDir: process.cwd(),
      loader: 'ts',
    }));
  },
};

// Node's own modules through require(), as the CommonJS packages get them: an ES import of one
// makes Node evaluate every export of it for the module's namespace, and node:http's include
// lazy getters that load its whole fetch implementation (undici): 40 ms of every start.
const builtins = {
  name: 'node-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, ({ path, kind }) => (kind === 'import-statement' ? { path, namespace: 'node-builtin' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, ({ path }) => ({ contents: `module.exports = require(${JSON.stringify(path)});`, loader: 'js' }));
  },
};

await build({
  entryPoints: [
    { in: 'function-entry', out: 'entry' },
    { in: 'warm.ts', out: 'warm' },
    // Forked by adapters/sql/pglite-store.ts from beside its own file, which lands in a chunk:
    // only where PGlite is (a run without DATABASE_URL, never the image).
    { in: 'adapters/sql/pglite-init.ts', out: 'chunks/pglite-init' },
  ],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node26',
  sourcemap: true,
  // Stack traces need the mappings only: without the sources' text the maps are a fifth of the size.
  sourcesContent: false,
  external,
  plugins: [entry, builtins],
  chunkNames: 'chunks/[name]-[hash]',
  // The CommonJS packages bundled in (pg, ioredis, …) call require() for Node's own modules.
  banner: { js: "import { createRequire as __shopRequire } from 'node:module'; const require = __shopRequire(import.meta.url);" },
  logLevel: 'warning',
});
