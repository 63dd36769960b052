/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for asserting what
 * /metrics serves: every line must be a comment (`# HELP`, `# TYPE`, other) or a sample of a
 * family whose TYPE came first; anything else throws, naming the line.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+(-?\\d+))?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_info'];

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (match === null) throw new Error(`bad labels in: ${line}`);
    const [, name = '', value = ''] = match;
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`);
    labels[name] = unescape(value);
  }
  return labels;
}

/** As Prometheus reads it (Go's ParseFloat): NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(text: string, line: string): number {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value in: ${line}`);
  return value;
}

/** The families of one exposition, by name. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const familyOf = (sample: string): Family | undefined => {
    const exact = families.get(sample);
    if (exact !== undefined) return exact;
    for (const suffix of SUFFIXES) {
      if (sample.endsWith(suffix)) {
        const family = families.get(sample.slice(0, -suffix.length));
        if (family !== undefined) return family;
      }
    }
    return undefined;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (meta === null) continue;
      const [, kind, name = '', rest = ''] = meta;
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      families.set(name, kind === 'HELP' ? { ...family, help: rest } : { ...family, type: rest });
      continue;
    }
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample: ${line}`);
    const [, name = '', labels, value = ''] = match;
    const family = familyOf(name);
    if (family === undefined) throw new Error(`a sample before its TYPE: ${line}`);
    family.samples.push({
      name,
      labels: labels === undefined ? {} : parseLabels(labels, line),
      value: parseValue(value, line),
    });
  }
  return families;
}

/**
 * The value of the one sample named `name` whose labels are exactly `labels`; undefined when there
 * is none, an error when several match.
 */
export function sampleValue(
  families: ReadonlyMap<string, Family>,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const found: Sample[] = [];
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      const keys = Object.keys(sample.labels);
      if (
        keys.length === Object.keys(labels).length &&
        keys.every((key) => sample.labels[key] === labels[key])
      )
        found.push(sample);
    }
  }
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Every sample of `name` as `label values → value`, for exact comparison of a labelled series set. */
export function seriesOf(families: ReadonlyMap<string, Family>, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      const key = Object.entries(sample.labels)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      out[key] = sample.value;
    }
  }
  return out;
}
