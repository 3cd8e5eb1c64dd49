/** A function container: what OpenFaaS (of-watchdog) and the template set for the entry. */
import { duration, httpBase, path, text } from './kinds.js';
import { setting } from './setting.js';

export const container = {
  fn: {
    name: setting({ env: 'FUNCTION_NAME', kind: text, default: 'function', only: 'a function container', about: 'the function it serves (set by the template)' }),
    module: setting({
      env: 'FUNCTION_MODULE',
      kind: path,
      only: 'a function container',
      unset: 'the `index.js` built beside the entry',
      about: "the function's module; the runtime sets it for isolated processes",
    }),
    upstreamUrl: setting({
      env: 'upstream_url',
      kind: httpBase,
      default: 'http://127.0.0.1:3000',
      only: 'a function container',
      about: "of-watchdog's: where the function listens (its port; `0` for any free one)",
    }),
    /** Seconds. */
    execTimeout: setting({
      env: 'exec_timeout',
      kind: duration(),
      default: '10s',
      only: 'a function container (`stack.yml`)',
      about: "of-watchdog's: how long a call may run; requests may take as long to arrive",
    }),
  },
};
