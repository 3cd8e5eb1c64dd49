/**
 * Loaded first by the npm scripts (`node --import tsx --import ./platform/env-file.ts …`): reads
 * `.env` when there is one, as `--env-file-if-exists=.env` would, without its line ".env not
 * found. Continuing without it." on every command of a checkout that has none (nothing is
 * required). The environment wins over the file, as with Node's own option.
 */
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');
