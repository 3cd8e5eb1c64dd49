/**
 * deploy/, read without a cluster: manifests Kubernetes accepts (kubernetes-models validates each
 * against the API's own schema), images this repository builds, secrets the documented script makes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { loadStack } from '../runtime/stack.js';

/** API versions a current Kubernetes (1.29 and later) serves, for the kinds deploy/ may use. */
const SERVED: Record<string, string[]> = {
  v1: ['Service', 'ConfigMap', 'Namespace'],
  'apps/v1': ['Deployment', 'StatefulSet'],
  'networking.k8s.io/v1': ['Ingress', 'NetworkPolicy'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'policy/v1': ['PodDisruptionBudget'],
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
}

const files = readdirSync('deploy').filter((f) => /\.ya?ml$/.test(f));
const manifests = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join('deploy', file), 'utf8')).map((doc) => ({ file, doc, manifest: doc.toJS() as Manifest })),
);
const stack = loadStack('stack.yml');
const script = readFileSync('deploy/make-secrets.sh', 'utf8');
const made = new Set([...script.matchAll(/^secret ([\w-]+) /gm)].map((m) => m[1]));

t.ok(files.length > 0, `manifests in deploy/: ${files.join(', ')}`);

t.test('valid YAML, and kinds and API versions Kubernetes serves today', async (t) => {
  for (const { file, doc, manifest } of manifests) {
    const where = `${file}: ${manifest?.kind} ${manifest?.metadata?.name}`;
    t.same(doc.errors, [], `${file}: valid YAML`);
    t.ok(SERVED[manifest.apiVersion]?.includes(manifest.kind), `${where}: ${manifest.apiVersion} ${manifest.kind} is served`);
    const path = manifest.apiVersion.includes('/') ? manifest.apiVersion : `v1`;
    const model = (await import(`kubernetes-models/${path}/${manifest.kind}`)) as Record<string, new (data: unknown) => { validate(): void }>;
    t.doesNotThrow(() => new model[manifest.kind](manifest).validate(), `${where}: valid against the API schema`);
    t.equal(manifest.metadata.namespace, 'openfaas-fn', `${where}: beside the functions, where faas-cli makes secrets`);
  }
});

/** Every pod template in the manifests. */
const pods = manifests.filter(({ manifest }) => manifest.spec?.template?.spec).map(({ file, manifest }) => ({ file, name: manifest.metadata.name, pod: manifest.spec.template.spec }));

t.test('every image is one this repository builds', async (t) => {
  const targets = [...readFileSync('Dockerfile', 'utf8').matchAll(/^FROM \S+ AS (\S+)/gim)].map((m) => m[1]);
  const built = new Set([...targets, ...stack.functions.map((f) => f.name)]);
  for (const { file, name, pod } of pods) {
    for (const container of pod.containers) {
      const image = /^ghcr\.io\/food-shop\/([a-z0-9-]+):[\w.-]+$/.exec(container.image);
      t.ok(image && built.has(image[1]), `${file} ${name}: ${container.image} is a Dockerfile target or a function of stack.yml`);
    }
  }
  t.ok(pods.some(({ pod }) => pod.containers.some((c: { image: string }) => c.image.includes('/connector:'))), 'the connector runs');
  t.ok(pods.some(({ pod }) => pod.containers.some((c: { image: string }) => c.image.includes('/edge:'))), 'the edge runs');
});

t.test('Prometheus scrapes the connector\'s /metrics on its health port', async (t) => {
  const connector = manifests.find(({ manifest }) => manifest.metadata.name === 'shop-connector')!.manifest.spec.template;
  const port = connector.spec.containers[0].ports.find((p: { name: string }) => p.name === 'health').containerPort;
  t.same(connector.metadata.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });
  t.ok(connector.spec.containers[0].env.some((e: { name: string; value: string }) => e.name === 'CONNECTOR_PORT' && e.value === String(port)), 'the port it serves on');
});

t.test('every secret named is made by deploy/make-secrets.sh', async (t) => {
  for (const { file, name, pod } of pods) {
    const named = [
      ...(pod.volumes ?? []).flatMap((v: { secret?: { secretName: string }; projected?: { sources: { secret?: { name: string } }[] } }) => [
        ...(v.secret ? [v.secret.secretName] : []),
        ...(v.projected?.sources ?? []).flatMap((s) => (s.secret ? [s.secret.name] : [])),
      ]),
      ...pod.containers.flatMap((c: { env?: { valueFrom?: { secretKeyRef?: { name: string } } }[] }) =>
        (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [])),
      ),
    ];
    for (const secret of named) t.ok(made.has(secret), `${file} ${name}: ${secret} is made`);
  }
  for (const f of stack.functions) {
    for (const secret of f.secrets) t.ok(made.has(secret), `stack.yml ${f.name}: ${secret} is made`);
  }
});

t.test('autoscaling labels on the functions are whole numbers, min ≤ max', async (t) => {
  const scaled = stack.functions.filter((f) => f.labels['com.openfaas.scale.max']);
  t.ok(scaled.some((f) => f.name === 'list-products'), 'the catalog listing scales');
  for (const f of scaled) {
    const [min, max, target] = ['min', 'max', 'target'].map((k) => f.labels[`com.openfaas.scale.${k}`]);
    t.match(`${min} ${max} ${target}`, /^\d+ \d+ \d+$/, `${f.name}: min, max and target set`);
    t.ok(Number(min) >= 1 && Number(min) <= Number(max), `${f.name}: 1 ≤ min ${min} ≤ max ${max}`);
  }
});

t.test('the README walks through every file of deploy/', async (t) => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## OpenFaaS on Kubernetes'));
  for (const file of readdirSync('deploy').filter((f) => f !== 'README.md')) t.match(section, `deploy/${file}`, `README mentions deploy/${file}`);
});
