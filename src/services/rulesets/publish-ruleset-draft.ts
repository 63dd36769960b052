import type { RulesetVersionView } from '../../contract/admin-api.js';
import { BatonError } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { discardRulesetDraft, getActiveRuleset, getRulesetDraft, publishRuleset } from '../../store/repositories/rulesets.js';
import { lockWorkspace } from '../../store/repositories/workspace-lock.js';
import { checkRuleset, sameRuleset } from './check-ruleset.js';
import type { ServiceContext } from '../context.js';
import { invalidDocument } from '../workspace/invalid-document.js';
import { presentRulesetVersion } from '../present/present-admin.js';
import { armRulesetReview } from './review-reminder.js';

/**
 * Publish the draft as the next, immutable version with its author, time and summary.
 * The draft is checked again first: the workspace may have changed since it was saved (a
 * queue it routes to removed). The draft is then reset: the editor starts again from the rules
 * now active (issue 16 §2).
 */
export async function publishRulesetDraft(
  ctx: ServiceContext,
  input: { readonly summary: string; readonly actor: string },
): Promise<RulesetVersionView> {
  const now = ctx.clock.now();
  const published = await withTransaction(ctx.database, async (trx) => {
    await lockWorkspace(trx, ctx.database.dialect);
    const draft = await getRulesetDraft(trx);
    const active = await getActiveRuleset(trx);
    if (draft === null || (active !== null && sameRuleset(draft.ruleset, active.ruleset))) {
      throw new BatonError('conflict', 'nothing to publish: the draft is the same as the active version (save one with PUT /api/ruleset/draft)');
    }
    const check = await checkRuleset(ctx, trx, draft.ruleset);
    if (!check.ok) throw invalidDocument('the draft', check.problems);
    const record = await publishRuleset(trx, { ruleset: check.ruleset, summary: input.summary, author: input.actor, now });
    await discardRulesetDraft(trx);
    // Publishing is a review: the reminder counts from here.
    await armRulesetReview(trx, record, now);
    await appendAudit(trx, {
      actor: input.actor,
      action: 'ruleset.published',
      entity: 'ruleset',
      entityId: String(record.version),
      data: { version: record.version, previousVersion: active?.version ?? null, summary: input.summary },
      now,
    });
    return record;
  });
  ctx.workspace.invalidate();
  // New rules may route waiting conversations differently (and open new destinations).
  ctx.afterCommit({ kind: 'assign_waiting' });
  return presentRulesetVersion(published, published.version);
}
