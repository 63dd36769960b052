import { WorkspaceConfig, type Ruleset } from '../../contract/config.js';
import { flattenIssues } from '../../contract/issues.js';
import { createAssistant, type Assistant } from '../../core/assistant/assistant.js';
import type { WorkspaceModel } from '../../core/model.js';
import { compileRuleset, type CompiledRuleset } from '../../core/rules/compile.js';
import { buildWorkspace } from '../../core/workspace.js';
import { interpolateEnv } from '../../config/interpolate-env.js';
import type { Executor } from '../../store/database.js';
import { getConfigRevision, readWorkspaceHeads } from '../../store/repositories/config.js';
import { getActiveRuleset, getRulesetVersion } from '../../store/repositories/rulesets.js';
import { BatonError } from '../../platform/errors.js';

/**
 * The compiled workspace: the document, the model the core decides on, the active ruleset compiled
 * into predicates and the assistant's index. Rebuilt only when the config revision or the active
 * ruleset version changes — rules are compiled once per version, not per message.
 *
 * Each read checks the two version numbers with one cheap query, so a `baton apply` run by the CLI
 * next to a running server (or another process in scale-out) takes effect on the next request.
 */
export interface LoadedWorkspace {
  readonly revision: number;
  readonly rulesetVersion: number | null;
  readonly config: WorkspaceConfig;
  readonly model: WorkspaceModel;
  readonly ruleset: CompiledRuleset;
  readonly assistant: Assistant;
}

export interface WorkspaceCache {
  /** The current workspace, read through `ex` (pass the transaction inside one). */
  current(ex?: Executor): Promise<LoadedWorkspace>;
  /** A ruleset compiled against the current workspace (a draft or an older version). */
  compile(ruleset: Ruleset, version: number | null): CompiledRuleset;
  /** Compiled version N (cached). */
  version(ex: Executor, version: number): Promise<CompiledRuleset>;
  invalidate(): void;
}

/** Parse a stored document: `${VAR}` from the environment, then the schema (defaults filled). */
export function resolveStoredConfig(document: unknown, env: Readonly<Record<string, string | undefined>>): WorkspaceConfig {
  const interpolated = interpolateEnv(document, env);
  const parsed = WorkspaceConfig.safeParse(interpolated.value);
  if (!parsed.success) {
    const details = flattenIssues(parsed.error.issues);
    throw new BatonError('internal', `the stored workspace configuration no longer validates: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, { details });
  }
  return parsed.data;
}

export function createWorkspaceCache(options: {
  executor: Executor;
  processEnv: Readonly<Record<string, string | undefined>>;
}): WorkspaceCache {
  let loaded: LoadedWorkspace | null = null;
  let building: Promise<LoadedWorkspace> | null = null;
  const versions = new Map<string, CompiledRuleset>();

  async function build(ex: Executor, revision: number): Promise<LoadedWorkspace> {
    const stored = await getConfigRevision(ex, revision);
    if (!stored) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
    const config = resolveStoredConfig(stored.document, options.processEnv);
    const active = await getActiveRuleset(ex);
    const rules: Ruleset = active ? (active.ruleset as Ruleset) : config.handoff;
    const withRules: WorkspaceConfig = { ...config, handoff: rules };
    const model = buildWorkspace(withRules);
    const ruleset = compileRuleset(rules, { schedules: model.schedules, timezone: model.timezone }, active?.version ?? null);
    const assistant = createAssistant({ knowledge: withRules.knowledge, assistant: withRules.assistant });
    versions.clear();
    return { revision, rulesetVersion: active?.version ?? null, config: withRules, model, ruleset, assistant };
  }

  return {
    async current(ex = options.executor) {
      const head = await readWorkspaceHeads(ex);
      if (head.revision === null) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
      if (loaded && loaded.revision === head.revision && loaded.rulesetVersion === head.version) return loaded;
      // Inside a transaction build directly (SQLite has one connection: never wait on the outer handle).
      if (ex.isTransaction) {
        loaded = await build(ex, head.revision);
        return loaded;
      }
      building ??= build(ex, head.revision).finally(() => {
        building = null;
      });
      loaded = await building;
      return loaded;
    },
    compile(ruleset, version) {
      if (!loaded) throw new Error('workspace not loaded');
      return compileRuleset(ruleset, { schedules: loaded.model.schedules, timezone: loaded.model.timezone }, version);
    },
    async version(ex, version) {
      const current = await this.current(ex);
      if (version === current.rulesetVersion) return current.ruleset;
      const key = `${current.revision}:${version}`;
      const cached = versions.get(key);
      if (cached) return cached;
      const record = await getRulesetVersion(ex, version);
      if (!record) throw new BatonError('not_found', `ruleset version ${version} not found`);
      const compiled = this.compile(record.ruleset as Ruleset, version);
      versions.set(key, compiled);
      return compiled;
    },
    invalidate() {
      loaded = null;
    },
  };
}
