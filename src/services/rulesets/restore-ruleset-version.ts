import type { RulesetVersionView } from '../../contract/admin-api.js';
import { BatonError } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { discardRulesetDraft, getActiveRuleset, getRulesetVersion, publishRuleset } from '../../store/repositories/rulesets.js';
import { lockWorkspace } from '../../store/repositories/workspace-lock.js';
import { checkRuleset, sameRuleset } from './check-ruleset.js';
import type { ServiceContext } from '../context.js';
import { invalidDocument } from '../workspace/invalid-document.js';
import { presentRulesetVersion } from '../present/present-admin.js';
import { armRulesetReview } from './review-reminder.js';

/**
 * Rollback = publish an older version again: version N's rules become a new
 * version, so history only grows and the rollback itself is on record. Refused when the old
 * rules no longer fit the workspace (they route to a queue removed since). The draft is reset to
 * the rules now active, unless the admin chose `keepDraft` (issue 16 §2: after a restore the
 * editor still showed the newer rule as a saved draft, with a red "outdated" warning).
 */
export async function restoreRulesetVersion(
  ctx: ServiceContext,
  input: { readonly version: number; readonly actor: string; readonly summary?: string; readonly keepDraft?: boolean },
): Promise<RulesetVersionView> {
  const now = ctx.clock.now();
  const published = await withTransaction(ctx.database, async (trx) => {
    await lockWorkspace(trx, ctx.database.dialect);
    const old = await getRulesetVersion(trx, input.version);
    if (old === null) throw new BatonError('not_found', `ruleset version ${input.version} not found`);
    const active = await getActiveRuleset(trx);
    if (active !== null && (active.version === old.version || sameRuleset(active.ruleset, old.ruleset))) {
      throw new BatonError('conflict', `version ${input.version}'s rules are already active (version ${active.version})`);
    }
    const check = await checkRuleset(ctx, trx, old.ruleset);
    if (!check.ok) throw invalidDocument(`version ${input.version}'s ruleset`, check.problems);
    const summary = input.summary ?? `restored version ${input.version}`;
    const record = await publishRuleset(trx, { ruleset: check.ruleset, summary, author: input.actor, now });
    await armRulesetReview(trx, record, now);
    const keptDraft = input.keepDraft === true;
    if (!keptDraft) await discardRulesetDraft(trx);
    await appendAudit(trx, {
      actor: input.actor,
      action: 'ruleset.restored',
      entity: 'ruleset',
      entityId: String(record.version),
      data: { version: record.version, restoredFrom: input.version, previousVersion: active?.version ?? null, summary, keptDraft },
      now,
    });
    return record;
  });
  ctx.workspace.invalidate();
  ctx.afterCommit({ kind: 'assign_waiting' });
  return presentRulesetVersion(published, published.version);
}
