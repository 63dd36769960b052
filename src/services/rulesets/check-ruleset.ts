import { isDeepStrictEqual } from 'node:util';
import type { ConfigProblem } from '../../config/config-problem.js';
import { parseConfigValue } from '../../config/parse-config-text.js';
import { Ruleset } from '../../contract/config.js';
import { flattenIssues } from '../../contract/issues.js';
import { BatonError } from '../../platform/errors.js';
import type { Executor } from '../../store/database.js';
import type { ServiceContext } from '../context.js';
import { relativeTo, under } from '../workspace/invalid-document.js';
import { readWorkspaceDocument } from '../workspace/read-workspace-document.js';

export type RulesetCheck =
  | { readonly ok: true; readonly ruleset: Ruleset; readonly warnings: ConfigProblem[] }
  | { readonly ok: false; readonly problems: ConfigProblem[]; readonly warnings: ConfigProblem[] };

/**
 * A candidate ruleset (a draft, or an old version about to be restored) checked as the `handoff`
 * of the current workspace, so the same validator as `baton validate` applies: the schema and
 * every reference (`rules[2].then.destination.queue: unknown queue "es-suport"`). Paths are
 * relative to the ruleset. Problems elsewhere in the document are not the ruleset's and are left out.
 * The ruleset returned is parsed from the candidate as written (`${VAR}` kept, defaults filled).
 */
export async function checkRuleset(ctx: ServiceContext, ex: Executor, candidate: unknown): Promise<RulesetCheck> {
  const current = await readWorkspaceDocument(ex);
  if (current === null) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
  const parsed = parseConfigValue({ ...current.document, handoff: candidate }, ctx.processEnv);
  const warnings = relativeTo('handoff', under('handoff', parsed.warnings));
  const problems = parsed.ok ? [] : relativeTo('handoff', under('handoff', parsed.problems));
  if (problems.length > 0) return { ok: false, problems, warnings };
  const ruleset = Ruleset.safeParse(candidate);
  if (!ruleset.success) return { ok: false, problems: flattenIssues(ruleset.error.issues), warnings };
  return { ok: true, ruleset: ruleset.data, warnings };
}

/** Rulesets compared as stored (JSON): an absent optional field and no field are the same. */
export function sameRuleset(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}
