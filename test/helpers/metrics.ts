import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';

/** A parsed scrape: the families by name, and one sample's value by its labels. */
export interface Scrape {
  families: Map<string, MetricFamily>;
  /** The value of the sample of `name` whose labels include `labels`; 0 when none (a counter not yet moved). */
  value(name: string, labels?: Record<string, string>): number;
  /** The number of observations of a histogram's sample. */
  count(name: string, labels?: Record<string, string>): number;
}

/** GET /metrics at `base`, parsed as Prometheus text: a response that does not parse throws. */
export async function scrape(url: string): Promise<Scrape & { contentType: string | null }> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  const text = await response.text();
  const families = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
  // The parser merges the label sets of a histogram into one sample: its `_count` lines are read here.
  const counts = text
    .split('\n')
    .filter((line) => line.includes('_count{'))
    .map((line) => {
      const [, name, inner, value] = /^(\w+)_count\{(.*)\} (\S+)$/.exec(line) ?? [];
      return { name, value, labels: Object.fromEntries([...(inner ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]])) };
    });
  const find = (name: string, labels: Record<string, string>) =>
    (families.get(name)?.metrics ?? []).filter((sample) => Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v));
  return {
    contentType: response.headers.get('content-type'),
    families,
    value: (name, labels = {}) => find(name, labels).reduce((sum, sample) => sum + Number(sample.value), 0),
    count: (name, labels = {}) =>
      counts
        .filter((sample) => sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v))
        .reduce((sum, sample) => sum + Number(sample.value), 0),
  };
}
