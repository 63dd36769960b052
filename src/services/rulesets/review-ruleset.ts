import type { RulesetVersionView } from '../../contract/admin-api.js';
import { BatonError } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { getActiveRuleset, getRulesetVersion, markRulesetReviewed } from '../../store/repositories/rulesets.js';
import type { ServiceContext } from '../context.js';
import { presentRulesetVersion } from '../present/present-admin.js';

/** An admin confirms the active rules still fit ("last reviewed"): the review reminder counts from now. */
export async function reviewRuleset(ctx: ServiceContext, input: { readonly actor: string }): Promise<RulesetVersionView> {
  const now = ctx.clock.now();
  return withTransaction(ctx.database, async (trx) => {
    const active = await getActiveRuleset(trx);
    if (active === null) throw new BatonError('not_found', 'no ruleset has been published yet');
    await markRulesetReviewed(trx, active.version, now, input.actor);
    await appendAudit(trx, { actor: input.actor, action: 'ruleset.reviewed', entity: 'ruleset', entityId: String(active.version), data: { version: active.version }, now });
    const record = (await getRulesetVersion(trx, active.version)) ?? active;
    return presentRulesetVersion(record, active.version);
  });
}
