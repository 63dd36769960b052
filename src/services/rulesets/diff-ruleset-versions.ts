import type { z } from 'zod';
import { diffRulesets } from '../../config/diff-rulesets.js';
import type { RulesetVersionDiff } from '../../contract/admin-api.js';
import { BatonError } from '../../platform/errors.js';
import type { Executor } from '../../store/database.js';
import { getRulesetVersion } from '../../store/repositories/rulesets.js';
import { storedRuleset } from '../present/present-admin.js';

/** What changed from version `against` (default the one before) to version `version`, rule by rule. */
export async function diffRulesetVersions(
  ex: Executor,
  input: { readonly version: number; readonly against?: number },
): Promise<z.infer<typeof RulesetVersionDiff>> {
  const against = input.against ?? input.version - 1;
  if (against < 1) {
    throw new BatonError('invalid', `version ${input.version} is the first: name a version to compare with`, {
      details: [{ path: 'against', message: 'required for version 1' }],
    });
  }
  const [after, before] = await Promise.all([getRulesetVersion(ex, input.version), getRulesetVersion(ex, against)]);
  if (after === null) throw new BatonError('not_found', `ruleset version ${input.version} not found`);
  if (before === null) throw new BatonError('not_found', `ruleset version ${against} not found`);
  return { from: against, to: input.version, ...diffRulesets(storedRuleset(before.ruleset), storedRuleset(after.ruleset)) };
}
