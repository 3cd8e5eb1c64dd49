/**
 * docker-compose.yml, read without Docker (these machines run no Docker engine): what
 * `docker compose up --build` would trip over, or would quietly do wrong.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { secretFiles, settings } from '#platform/config.js';

interface Service {
  image?: string;
  build?: { context: string; target?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string>;
  secrets?: { source: string; target: string }[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
};
const services = Object.entries(compose.services);
const ours = services.filter(([, s]) => s.build);
const SECRETS_DIR = '/var/openfaas/secrets';

/** Every source file of the shop that runs in a container, and the scripts they start with. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|sh)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}
const code = ['platform', 'runtime', 'adapters', 'domain', 'functions', 'templates', 'nginx'].flatMap(sources).map((f) => readFileSync(f, 'utf8')).join('\n');
/** The secret files the code reads: the schema's secrets (platform/config/), and any read by name. */
const secretsRead = new Set([...secretFiles, ...[...code.matchAll(/readSecret\('([a-z0-9-]+)'/g)].map((m) => m[1])]);
/** What the code reads from the environment: the schema's settings (a secret falls back to its name in upper snake case), and the shell scripts'. */
const envRead = new Set([
  ...settings.map(({ setting }) => setting.env),
  ...[...code.matchAll(/\benv\.([A-Z][A-Z0-9_]*)|\$\{([A-Z][A-Z0-9_]*)[:}]/g)].map((m) => m[1] ?? m[2]),
  ...[...secretsRead].map((name) => name.toUpperCase().replaceAll('-', '_')),
]);

/** `FROM … AS <target>` stages and the targets that declare a HEALTHCHECK. */
function dockerfileTargets(file: string) {
  const stages = readFileSync(file, 'utf8').split(/^FROM /m).slice(1);
  return new Map(stages.map((stage) => [/^\S+\s+AS\s+(\S+)/i.exec(stage)?.[1] ?? '', /^HEALTHCHECK /m.test(stage)]));
}

t.test('every service has an image or a build context with its Dockerfile target', async (t) => {
  for (const [name, service] of services) {
    if (!service.build) {
      t.match(service.image, /^[a-z0-9./-]+:[\w.-]+$/, `${name}: a tagged image`);
      continue;
    }
    const dockerfile = join(service.build.context, service.build.dockerfile ?? 'Dockerfile');
    t.ok(existsSync(dockerfile), `${name}: ${dockerfile} exists`);
    t.ok(dockerfileTargets(dockerfile).has(service.build.target ?? ''), `${name}: target ${service.build.target} is a stage of ${dockerfile}`);
  }
});

t.test('our images run as built: no install at start, no source mounted', async (t) => {
  for (const [name, service] of ours) {
    t.notMatch(JSON.stringify([service.command ?? '', service.entrypoint ?? '']), /npm (ci|install)/, `${name}: no npm at start`);
    for (const volume of service.volumes ?? []) {
      t.notMatch(volume, /^[./~]/, `${name}: ${volume} is a named volume, not a folder of this checkout`);
    }
  }
  for (const [name, service] of services) {
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0];
      if (!/^[./~]/.test(source)) t.ok(source in compose.volumes, `${name}: volume ${source} is declared`);
    }
  }
});

t.test('every variable our services get is one the code reads', async (t) => {
  for (const [name, service] of ours) {
    for (const variable of Object.keys(service.environment ?? {})) {
      t.ok(envRead.has(variable), `${name}: ${variable} is read by the code`);
    }
  }
});

t.test('secrets: files made by scripts/make-secrets.sh, mounted where the code reads them', async (t) => {
  const script = readFileSync('scripts/make-secrets.sh', 'utf8');
  const made = new Set([...script.matchAll(/^make ([\w.-]+) /gm)].map((m) => m[1]));
  for (const [name, { file }] of Object.entries(compose.secrets)) {
    t.equal(file, `./secrets/${name}`, `${name}: a file in ./secrets`);
    t.ok(made.has(name), `${name}: made by scripts/make-secrets.sh`);
  }
  t.match(readFileSync('.gitignore', 'utf8'), /^secrets\/$/m, 'git ignores ./secrets');
  t.match(readFileSync('.dockerignore', 'utf8'), /^secrets$/m, 'no image build context holds ./secrets');
  for (const [name, service] of services) {
    for (const { source, target } of service.secrets ?? []) {
      t.ok(source in compose.secrets, `${name}: secret ${source} is declared`);
      if (!service.build) continue; // a third-party image reads its own (rabbitmq: conf.d)
      t.equal(target, `${SECRETS_DIR}/${source}`, `${name}: ${source} where OpenFaaS mounts secrets`);
      t.ok(secretsRead.has(source), `${name}: ${source} is read by the code (readSecret)`);
    }
  }
  const gateway = compose.services.gateway.secrets!.map((s) => s.source);
  for (const needed of ['database-url', 'redis-url', 'amqp-url', 'jwt-private-key', 'jwt-public-key', 'admin-email', 'admin-password', 'internal-token']) {
    t.ok(gateway.includes(needed), `gateway gets ${needed}`);
  }
});

t.test('health checks and depends_on agree', async (t) => {
  const targets = dockerfileTargets('Dockerfile');
  const healthy = (name: string) => {
    const service = compose.services[name];
    return Boolean(service?.healthcheck) || Boolean(service?.build && targets.get(service.build.target ?? ''));
  };
  for (const [name, service] of services) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      t.ok(dependency in compose.services, `${name}: depends on a service (${dependency})`);
      t.ok(['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition), `${name}: ${condition} is a condition`);
      if (condition === 'service_healthy') t.ok(healthy(dependency), `${name}: ${dependency} has a health check to wait for`);
    }
  }
  t.match(compose.services.mongo.healthcheck!.test.join(' '), /isWritablePrimary/, 'MongoDB is healthy once PRIMARY');
  t.match(JSON.stringify(compose.services.redis.command), /--appendonly","yes/, 'Redis is append-only');
});

t.test('published ports: nginx alone is public, and the README lists each', async (t) => {
  const published = services.flatMap(([name, s]) => (s.ports ?? []).map((p) => ({ name, host: p.split(':').slice(0, -1).join(':') })));
  for (const { name, host } of published) {
    if (name === 'nginx') t.equal(host, '8000', 'nginx on port 8000, every interface');
    else t.match(host, /^127\.0\.0\.1:\d+$/, `${name}: ${host} on loopback only`);
  }
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### 3. docker compose'), readme.indexOf('\n## ', readme.indexOf('### 3. docker compose')));
  const listed = [...section.matchAll(/^\| `([\d.:]+)` \|/gm)].map((m) => m[1]);
  t.same(listed.sort(), published.map((p) => p.host).sort(), 'README, "docker compose": one row per published port');
});
