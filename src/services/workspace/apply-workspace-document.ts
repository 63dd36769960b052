import type { ConfigProblem } from '../../config/config-problem.js';
import { parseConfigValue, type ConfigFormat, type ParseConfigResult } from '../../config/parse-config-text.js';
import { parseConfigTextOffThread } from '../../config/parse-off-thread.js';
import type { ConfigApplyOutcome } from '../../contract/admin-api.js';
import { getCurrentConfig } from '../../store/repositories/config.js';
import { getActiveRuleset } from '../../store/repositories/rulesets.js';
import { applyValidatedConfig } from './apply-validated-config.js';
import type { ServiceContext } from '../context.js';
import { invalidDocument } from './invalid-document.js';

export type DocumentSource =
  | { readonly text: string; readonly format: ConfigFormat }
  /** Already parsed (a JSON request body): problems have paths but no line numbers. */
  | { readonly value: unknown };

export interface ApplyWorkspaceDocumentInput {
  readonly source: DocumentSource;
  readonly actor: string;
  readonly summary?: string | null;
  /** Validate only. */
  readonly dryRun?: boolean;
}

/**
 * `PUT /api/config` and `baton apply`: check the whole document (every problem, with its path and,
 * from text, its line) and, when it is valid, make the workspace match it. An invalid document
 * changes nothing (docs/configuration.md). `${VAR}` reads the process environment; the document is stored
 * as written, so secrets stay in the environment.
 */
export async function applyWorkspaceDocument(ctx: ServiceContext, input: ApplyWorkspaceDocumentInput): Promise<ConfigApplyOutcome> {
  const parsed = await parseSource(input.source, ctx.processEnv);
  if (!parsed.ok) throw invalidDocument('the workspace document', parsed.problems);
  const warnings: ConfigProblem[] = parsed.warnings;
  if (input.dryRun === true) {
    const current = await getCurrentConfig(ctx.database.db);
    const active = await getActiveRuleset(ctx.database.db);
    return {
      applied: false,
      dryRun: true,
      changed: false,
      revision: current?.id ?? 0,
      rulesetVersion: active?.version ?? null,
      publishedVersion: null,
      warnings,
    };
  }
  const outcome = await applyValidatedConfig(ctx, { raw: parsed.raw, actor: input.actor, summary: input.summary ?? null });
  return {
    applied: true,
    dryRun: false,
    changed: outcome.changed,
    revision: outcome.revision,
    rulesetVersion: outcome.activeVersion,
    publishedVersion: outcome.publishedVersion,
    warnings,
  };
}

/** A long text is read on a worker thread (parse-off-thread.ts): the server goes on serving meanwhile. */
export async function parseSource(source: DocumentSource, env: Readonly<Record<string, string | undefined>>): Promise<ParseConfigResult> {
  return 'text' in source ? parseConfigTextOffThread(source.text, source.format, env) : parseConfigValue(source.value, env);
}
