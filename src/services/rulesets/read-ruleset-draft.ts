import type { RulesetDraftView } from '../../contract/admin-api.js';
import { BatonError } from '../../platform/errors.js';
import type { Executor } from '../../store/database.js';
import { getActiveRuleset, getRulesetDraft } from '../../store/repositories/rulesets.js';
import { sameRuleset } from './check-ruleset.js';
import { iso } from '../present/present-conversation.js';
import { storedRuleset } from '../present/present-admin.js';

/** The draft (docs/api.md `GET /api/ruleset/draft`), or the active rules when no draft was saved. */
export async function readRulesetDraft(ex: Executor): Promise<RulesetDraftView> {
  const active = await getActiveRuleset(ex);
  const draft = await getRulesetDraft(ex);
  if (draft === null) {
    if (active === null) throw new BatonError('not_found', 'no ruleset yet: apply a workspace document or save a draft');
    return { ruleset: storedRuleset(active.ruleset), saved: false, updatedBy: null, updatedAt: null, activeVersion: active.version, changed: false, outdated: false, warnings: [] };
  }
  const changed = active === null || !sameRuleset(draft.ruleset, active.ruleset);
  return {
    ruleset: storedRuleset(draft.ruleset),
    saved: true,
    updatedBy: draft.updatedBy,
    updatedAt: iso(draft.updatedAt),
    activeVersion: active?.version ?? null,
    changed,
    outdated: changed && active !== null && active.createdAt > draft.updatedAt,
    warnings: [],
  };
}
