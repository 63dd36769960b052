import type { RulesetVersionList, RulesetVersionView } from '../../contract/admin-api.js';
import { BatonError } from '../../platform/errors.js';
import { getActiveRuleset, getRulesetVersion, listRulesetVersions } from '../../store/repositories/rulesets.js';
import type { ServiceContext } from '../context.js';
import { presentRulesetSummary, presentRulesetVersion } from '../present/present-admin.js';

/** The version that routes now; not_found before anything was published. */
export async function readActiveRuleset(ctx: ServiceContext): Promise<RulesetVersionView> {
  const active = await getActiveRuleset(ctx.database.db);
  if (active === null) throw new BatonError('not_found', 'no ruleset has been published yet');
  return presentRulesetVersion(active, active.version);
}

/** Every published version, newest first (the newest is the active one). */
export async function listRulesetVersionSummaries(ctx: ServiceContext): Promise<RulesetVersionList> {
  const records = await listRulesetVersions(ctx.database.db, { limit: 1000 });
  const activeVersion = records[0]?.version ?? null;
  return { items: records.map((record) => presentRulesetSummary(record, activeVersion)) };
}

/** One published version, marked active or not. */
export async function readRulesetVersion(ctx: ServiceContext, version: number): Promise<RulesetVersionView> {
  const record = await getRulesetVersion(ctx.database.db, version);
  if (record === null) throw new BatonError('not_found', `ruleset version ${version} not found`);
  const active = await getActiveRuleset(ctx.database.db);
  return presentRulesetVersion(record, active?.version ?? null);
}
