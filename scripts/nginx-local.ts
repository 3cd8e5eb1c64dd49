/**
 * A real nginx on this machine with the generated config, in a folder of its own: used by
 * `npm run start:nginx`, the tests and the bench, so all three run what production runs.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from '../runtime/stack.js';
import { WEB_DIST } from '../runtime/web.js';
import { renderNginxConfig, type NginxOptions } from './nginx-config.js';

const envScript = fileURLToPath(new URL('../nginx/edge-env.sh', import.meta.url));

export const INSTALL_HINT = [
  'nginx is not installed (looked on PATH and at /usr/sbin/nginx). Install it, then run this again:',
  '  Debian, Ubuntu:  sudo apt-get install -y nginx   (the package starts a system nginx on port 80: sudo systemctl disable --now nginx)',
  '  Fedora, RHEL:    sudo dnf install -y nginx',
  '  macOS:           brew install nginx',
  'Or run the whole stack in containers: docker compose up --build',
].join('\n');

/** PATH first, then Debian's place for it (/usr/sbin is often not on a user's PATH). */
export function findNginx(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nginx')), '/usr/sbin/nginx'];
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface LocalNginxOptions extends Pick<NginxOptions, 'upstream' | 'listen' | 'workers' | 'apiRate' | 'webRoot'> {
  /** Config, pid, logs, temp files and the media cache go here. */
  dir: string;
  /** Comma separated, as CORS_ORIGINS. */
  corsOrigins?: string;
  /** Comma separated, as TRUSTED_PROXIES; none for a local nginx, which is the edge itself. */
  trustedProxies?: string;
  /**
   * Errors to stderr instead of a file in `dir`. The access log stays a file: /dev/stdout cannot
   * be opened when stdout is a socket, as under many supervisors.
   */
  logToConsole?: boolean;
  /** One process, no workers: nothing to clean up but that one child (the tests use it). */
  singleProcess?: boolean;
}

/**
 * Writes nginx.conf and what nginx/edge-env.sh makes into `dir`, checks them with `nginx -t`, and answers
 * the arguments that run nginx in the foreground on them. Throws with nginx's words if the
 * config is refused.
 */
export function prepareLocalNginx(binary: string, stack: Stack, options: LocalNginxOptions): string[] {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    renderNginxConfig(stack, {
      upstream: options.upstream,
      listen: options.listen,
      workers: options.workers,
      apiRate: options.apiRate,
      pidFile: join(dir, 'nginx.pid'),
      errorLog: options.logToConsole ? 'stderr' : join(dir, 'error.log'),
      accessLog: join(dir, 'access.log'),
      tempDir: dir,
      cacheDir: join(dir, 'media-cache'),
      // This checkout's build of the storefront.
      webRoot: options.webRoot ?? WEB_DIST,
    }),
  );
  const fromEnv = spawnSync('sh', [envScript], {
    env: { PATH: process.env.PATH, CORS_ORIGINS: options.corsOrigins ?? '', TRUSTED_PROXIES: options.trustedProxies ?? '', NGINX_CONF_DIR: dir },
    encoding: 'utf8',
  });
  if (fromEnv.status !== 0) throw new Error(fromEnv.stderr.trim());

  // As root, workers would run as `nobody`, which may not reach a folder under a root-owned
  // checkout; this nginx serves one developer, so its workers keep the user that started it.
  const user = process.getuid?.() === 0 ? ' user root;' : '';
  const globals = options.singleProcess ? 'daemon off; master_process off;' : `daemon off;${user}`;
  const args = ['-p', `${dir}/`, '-c', conf, '-g', globals];
  const checked = spawnSync(binary, ['-t', '-q', ...args], { encoding: 'utf8' });
  if (checked.status !== 0) throw new Error(`nginx -t refuses ${conf}:\n${checked.stderr.trim()}`);
  return args;
}
