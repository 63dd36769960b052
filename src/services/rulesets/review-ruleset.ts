import type { RulesetVersionView } from '../../contract/admin-api.js';
import { BatonError } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { getActiveRuleset, getRulesetVersion, markRulesetReviewed } from '../../store/repositories/rulesets.js';
import { lockWorkspace } from '../../store/repositories/workspace-lock.js';
import { armRulesetReview } from './review-reminder.js';
import type { ServiceContext } from '../context.js';
import { presentRulesetVersion } from '../present/present-admin.js';

/** An admin confirms the active rules still fit ("last reviewed"): the review reminder counts from now (re-armed here; the older timer finds itself stale). */
export async function reviewRuleset(ctx: ServiceContext, input: { readonly actor: string }): Promise<RulesetVersionView> {
  const now = ctx.clock.now();
  return withTransaction(ctx.database, async (trx) => {
    await lockWorkspace(trx, ctx.database.dialect);
    const active = await getActiveRuleset(trx);
    if (active === null) throw new BatonError('not_found', 'no ruleset has been published yet');
    await markRulesetReviewed(trx, active.version, now, input.actor);
    await appendAudit(trx, { actor: input.actor, action: 'ruleset.reviewed', entity: 'ruleset', entityId: String(active.version), data: { version: active.version }, now });
    const record = (await getRulesetVersion(trx, active.version)) ?? active;
    await armRulesetReview(trx, record, now);
    return presentRulesetVersion(record, active.version);
  });
}
