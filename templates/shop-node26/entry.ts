/**
 * The template's entry from source: serves the function FUNCTION_MODULE names (the runtime's
 * isolated mode and the tests start it so, under tsx), else ./index.js beside it. The image does
 * not run this file: bundle.mjs makes one bundle of the function and serve.ts.
 */
import { pathToFileURL } from 'node:url';
import type { FunctionDefinition } from '#platform/define-function.js';
import { serve } from './serve.js';

const module = process.env.FUNCTION_MODULE ? pathToFileURL(process.env.FUNCTION_MODULE).href : new URL('./index.js', import.meta.url).href;
const fn: FunctionDefinition = (await import(module)).default;
await serve(fn);
