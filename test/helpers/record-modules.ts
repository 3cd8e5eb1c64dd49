/**
 * Preloaded (`--import`) into a process under test: records every module it loads and writes the
 * list, one URL a line, to the file RECORD_MODULES names when the process exits.
 */
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set<string>();
registerHooks({
  load(url, context, next) {
    loaded.add(url);
    return next(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.RECORD_MODULES!, [...loaded].join('\n')));
