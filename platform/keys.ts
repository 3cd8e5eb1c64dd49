import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningKeys } from '#adapters/jose-tokens.js';
import type { Config } from './config.js';
import { EMBEDDED } from './connections.js';

/**
 * The Ed25519 key pair for access tokens: from the `jwt-private-key` / `jwt-public-key`
 * secrets, else a development key generated once into DATA_DIR (never for production).
 */
export function loadSigningKeys(config: Config): SigningKeys & { source: string } {
  if (config.jwtPrivateKey) {
    const privateKey = createPrivateKey(config.jwtPrivateKey);
    return { privateKey, publicKey: createPublicKey(config.jwtPublicKey ?? privateKey), source: 'secret' };
  }
  if (config.jwtPublicKey) return { publicKey: createPublicKey(config.jwtPublicKey), source: 'secret (verify only)' };

  const file = join(config.dataDir, 'dev-jwt-private-key.pem');
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch {
      pem = readFileSync(file, 'utf8'); // another process wrote it first
    }
  }
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey), source: `development key in ${file} (${EMBEDDED})` };
}
