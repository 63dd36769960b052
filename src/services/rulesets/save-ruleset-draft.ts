import type { RulesetDraftView } from '../../contract/admin-api.js';
import { withTransaction } from '../../store/database.js';
import { saveRulesetDraft as storeDraft } from '../../store/repositories/rulesets.js';
import { checkRuleset } from './check-ruleset.js';
import type { ServiceContext } from '../context.js';
import { invalidDocument } from '../workspace/invalid-document.js';
import { readRulesetDraft } from './read-ruleset-draft.js';

/**
 * Replace the draft. Checked against
 * the current workspace like a whole document; an invalid draft is not saved. Saving changes no
 * routing: only publishing does.
 */
export async function saveRulesetDraft(ctx: ServiceContext, input: { readonly ruleset: unknown; readonly actor: string }): Promise<RulesetDraftView> {
  return withTransaction(ctx.database, async (trx) => {
    const check = await checkRuleset(ctx, trx, input.ruleset);
    if (!check.ok) throw invalidDocument('the ruleset', check.problems);
    await storeDraft(trx, { ruleset: check.ruleset, updatedBy: input.actor, now: ctx.clock.now() });
    return { ...(await readRulesetDraft(trx)), warnings: check.warnings };
  });
}
