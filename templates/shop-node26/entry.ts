/**
 * The template's entry from source: serves the function FUNCTION_MODULE names (the runtime's
 * isolated mode and the tests start it so, under tsx), else ./index.js beside it. The image does
 * not run this file: bundle.mjs makes one bundle of the function and serve.ts.
 */
import { pathToFileURL } from 'node:url';
import { configOrExit } from '#platform/config.js';
import type { FunctionDefinition } from '#platform/define-function.js';
import { serve } from './serve.js';

// Every setting and secret file is read (or refused) here, before anything starts.
const config = configOrExit(`function ${process.env.FUNCTION_NAME || ''}`.trim());
const { module } = config.fn;
const moduleUrl = module ? pathToFileURL(module).href : new URL('./index.js', import.meta.url).href;
const fn = ((await import(moduleUrl)) as { default: FunctionDefinition }).default;
await serve(fn, config);
