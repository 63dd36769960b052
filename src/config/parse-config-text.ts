import type { Document, LineCounter } from 'yaml';
import { WorkspaceConfig } from '../contract/config.js';
import { checkReferences } from './check-references.js';
import type { ConfigProblem, PathKey } from './config-problem.js';
import { explainSchemaIssues } from './explain-schema-issues.js';
import { interpolateEnv, isPlainObject } from './interpolate-env.js';
import type { Env, Template } from './interpolate-env.js';
import { locatePath } from './locate-path.js';
import { nestingProblem } from '../platform/nesting.js';
import { positionOf, readYaml, type YamlProblem } from '../platform/read-yaml.js';

export type ConfigFormat = 'yaml' | 'json';

export type ParseConfigResult =
  | {
      readonly ok: true;
      /** The workspace with defaults applied and `${VAR}` replaced from the environment. */
      readonly config: WorkspaceConfig;
      /**
       * The same document as written: strings that used `${VAR}` (or `$${`) keep their written
       * form. Store and export this one, so secrets stay in the environment.
       */
      readonly raw: WorkspaceConfig;
      readonly warnings: ConfigProblem[];
    }
  | { readonly ok: false; readonly problems: ConfigProblem[]; readonly warnings: ConfigProblem[] };

/**
 * Reads a workspace document (`baton.yaml`, or the same as JSON) and reports every problem,
 * each with its path and, where the text shows it, line and column: syntax, unset environment
 * variables, the schema, then references between objects. Nothing is applied here.
 */
export function parseConfigText(text: string, format: ConfigFormat, env: Env): ParseConfigResult {
  // JSON is YAML too: reading it as YAML as well gives problems a line and column.
  const read = readYaml(text);
  const { doc, lineCounter } = read;
  if (doc === undefined) return { ok: false, problems: read.ok ? [] : read.problems.map(configProblemOf), warnings: [] };
  const position = (offset: number | undefined) => positionOf(lineCounter, offset);

  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const offset = /at position (\d+)/.exec(message)?.[1];
      const at = offset !== undefined ? position(Number(offset)) : position(doc.errors[0]?.pos[0]);
      return { ok: false, problems: [syntaxProblem(`invalid JSON: ${message}`, at)], warnings: [] };
    }
  } else {
    if (!read.ok) return { ok: false, problems: read.problems.map(configProblemOf), warnings: [] };
    value = read.value;
  }

  const yamlWarnings = format === 'yaml' ? doc.warnings.map((w) => syntaxProblem(w.message, position(w.pos[0]))) : [];
  const result = parseConfigValue(value, env);
  const locate = doc.errors.length === 0 ? (problems: ConfigProblem[]) => withPositions(problems, doc, lineCounter) : (p: ConfigProblem[]) => p;
  if (result.ok) return { ...result, warnings: [...yamlWarnings, ...locate(result.warnings)] };
  return { ok: false, problems: locate(result.problems), warnings: [...yamlWarnings, ...locate(result.warnings)] };
}

/**
 * The same checks on a document that is already a value (a JSON request body): interpolation,
 * schema, references. Problems have paths but no line numbers.
 */
export function parseConfigValue(document: unknown, env: Env): ParseConfigResult {
  if (document === null || document === undefined) {
    return { ok: false, problems: [{ path: '(root)', message: 'the document is empty: it needs at least workspace and handoff' }], warnings: [] };
  }
  if (!isPlainObject(document)) {
    return { ok: false, problems: [{ path: '(root)', message: 'the document must be a mapping of sections (workspace, users, …, handoff)' }], warnings: [] };
  }
  const shape = nestingProblem(document);
  if (shape) return { ok: false, problems: [shape], warnings: [] };

  const interpolated = interpolateEnv(document, env);
  const parsed = WorkspaceConfig.safeParse(interpolated.value, { reportInput: true });
  const references = checkReferences(interpolated.value);

  // An unset variable reads as '' so that everything else is still checked; whatever that ''
  // then trips at the same path is the same mistake, already reported.
  const unset = new Set(interpolated.problems.map((p) => p.path));
  const problems = [
    ...interpolated.problems,
    ...[...(parsed.success ? [] : explainSchemaIssues(parsed.error.issues)), ...references.problems].filter((p) => !unset.has(p.path)),
  ];
  const warnings = references.warnings;
  if (problems.length > 0 || !parsed.success) return { ok: false, problems, warnings };
  return { ok: true, config: parsed.data, raw: restoreTemplates(parsed.data, interpolated.templates), warnings };
}

/** The validated document with each `${VAR}` string put back as written. */
function restoreTemplates(config: WorkspaceConfig, templates: readonly Template[]): WorkspaceConfig {
  if (templates.length === 0) return config;
  const raw = structuredClone(config);
  for (const { path, source } of templates) setAt(raw, path, source);
  return raw;
}

function setAt(target: unknown, path: readonly PathKey[], value: string): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    if (typeof current !== 'object' || current === null) return;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  const last = path.at(-1);
  if (last === undefined || typeof current !== 'object' || current === null) return;
  const holder = current as Record<PropertyKey, unknown>;
  if (typeof holder[last] === 'string') holder[last] = value;
}

function configProblemOf(problem: YamlProblem): ConfigProblem {
  return problem.path !== undefined ? { path: problem.path, message: problem.message } : syntaxProblem(problem.message, problem);
}

function syntaxProblem(message: string, at: { line?: number; column?: number }): ConfigProblem {
  const path = at.line === undefined ? '(document)' : `line ${at.line}, column ${at.column ?? 1}`;
  return { path, message, ...at };
}

/** Adds line and column to each problem, then lists them in document order (stable). */
function withPositions(problems: ConfigProblem[], doc: Document, lineCounter: LineCounter): ConfigProblem[] {
  const located = problems.map((problem) => {
    if (problem.line !== undefined) return problem;
    const at = locatePath(doc, lineCounter, problem.path);
    return at ? { ...problem, line: at.line, column: at.column } : problem;
  });
  return located
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.order - b.order)
    .map(({ problem }) => problem);
}
