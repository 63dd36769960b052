import type { RulesetDraftView } from '../../contract/admin-api.js';
import { describeRulesetDiff, diffRulesets } from '../../config/diff-rulesets.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { getActiveRuleset, getRulesetDraft, saveRulesetDraft as storeDraft } from '../../store/repositories/rulesets.js';
import { checkRuleset } from './check-ruleset.js';
import type { ServiceContext } from '../context.js';
import { invalidDocument } from '../workspace/invalid-document.js';
import { storedRuleset } from '../present/present-admin.js';
import { readRulesetDraft } from './read-ruleset-draft.js';

/**
 * Replace the draft. Checked against
 * the current workspace like a whole document; an invalid draft is not saved. Saving changes no
 * routing: only publishing does. Audited (`ruleset.draft_saved`) with who saved it and what changed
 * since the draft before (or, with none saved, since the active rules), in a sentence.
 */
export async function saveRulesetDraft(ctx: ServiceContext, input: { readonly ruleset: unknown; readonly actor: string }): Promise<RulesetDraftView> {
  return withTransaction(ctx.database, async (trx) => {
    const check = await checkRuleset(ctx, trx, input.ruleset);
    if (!check.ok) throw invalidDocument('the ruleset', check.problems);
    const now = ctx.clock.now();
    const active = await getActiveRuleset(trx);
    const before = (await getRulesetDraft(trx)) ?? active;
    const diff = before === null ? null : diffRulesets(storedRuleset(before.ruleset), check.ruleset);
    await storeDraft(trx, { ruleset: check.ruleset, updatedBy: input.actor, now });
    await appendAudit(trx, {
      actor: input.actor,
      action: 'ruleset.draft_saved',
      entity: 'ruleset',
      entityId: 'draft',
      data: {
        summary: diff === null ? `a first draft with ${check.ruleset.rules.length} rules` : describeRulesetDiff(diff),
        rules: check.ruleset.rules.length,
        activeVersion: active?.version ?? null,
      },
      now,
    });
    return { ...(await readRulesetDraft(trx)), warnings: check.warnings };
  });
}
