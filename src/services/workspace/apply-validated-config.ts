import { isDeepStrictEqual } from 'node:util';
import type { WorkspaceConfig } from '../../contract/config.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { appendConfigRevision, getCurrentConfig } from '../../store/repositories/config.js';
import { getActiveRuleset, publishRuleset } from '../../store/repositories/rulesets.js';
import type { ServiceContext } from '../context.js';
import { armRulesetReview } from '../rulesets/review-reminder.js';

export interface ApplyValidatedConfigInput {
  /** The validated document as written (`${VAR}` kept), from `parseConfigText`/`parseConfigValue`. */
  readonly raw: WorkspaceConfig;
  readonly actor: string;
  readonly summary?: string | null;
}

export interface ApplyValidatedConfigOutcome {
  readonly revision: number;
  /** The ruleset version published by this apply, or null when the rules did not change. */
  readonly publishedVersion: number | null;
  readonly activeVersion: number;
  readonly changed: boolean;
}

/**
 * Make the workspace match a validated document, in one transaction: a new config revision and,
 * when `handoff` differs from the active rules, a new ruleset version (docs/configuration.md: applying
 * publishes the rules). Validation happened before (an invalid document never gets here, so it
 * changes nothing). Audited. Waiting conversations are then offered to whoever became eligible.
 */
export async function applyValidatedConfig(ctx: ServiceContext, input: ApplyValidatedConfigInput): Promise<ApplyValidatedConfigOutcome> {
  const now = ctx.clock.now();
  const outcome = await withTransaction(ctx.database, async (trx) => {
    const current = await getCurrentConfig(trx);
    const changed = current === null || !isDeepStrictEqual(current.document, input.raw);
    const revision = changed
      ? (await appendConfigRevision(trx, { document: input.raw, actor: input.actor, summary: input.summary ?? null, now })).id
      : current.id;
    const active = await getActiveRuleset(trx);
    let publishedVersion: number | null = null;
    let activeVersion = active?.version ?? 0;
    if (active === null || !isDeepStrictEqual(active.ruleset, input.raw.handoff)) {
      const published = await publishRuleset(trx, {
        ruleset: input.raw.handoff,
        summary: input.summary ?? 'applied from the workspace document',
        author: input.actor,
        now,
      });
      publishedVersion = published.version;
      await armRulesetReview(trx, published, now);
      activeVersion = published.version;
    }
    if (changed || publishedVersion !== null) {
      await appendAudit(trx, {
        actor: input.actor,
        action: 'config.applied',
        entity: 'workspace',
        entityId: String(revision),
        data: { revision, publishedVersion, summary: input.summary ?? null },
        now,
      });
    }
    return { revision, publishedVersion, activeVersion, changed: changed || publishedVersion !== null };
  });
  ctx.workspace.invalidate();
  ctx.afterCommit({ kind: 'assign_waiting' });
  return outcome;
}
