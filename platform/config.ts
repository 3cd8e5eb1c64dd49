/** The configuration schema and its reader live in platform/config/ (one small file per area). */
export * from './config/index.js';
