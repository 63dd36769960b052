import type { z } from 'zod';
import type { AuditEntry } from '../../contract/api.js';
import type { RulesetVersionSummary, RulesetVersionView } from '../../contract/admin-api.js';
import { Ruleset } from '../../contract/config.js';
import { parseDurationSeconds } from '../../core/duration.js';
import type { AuditEntryRecord } from '../../store/repositories/audit.js';
import type { RulesetVersionRecord } from '../../store/repositories/rulesets.js';
import { iso, isoOrNull } from './present-conversation.js';

/** A stored ruleset with today's defaults filled (older versions may lack fields added since). */
export function storedRuleset(stored: unknown): Ruleset {
  const parsed = Ruleset.safeParse(stored);
  // Stored versions were valid when published; if one no longer parses, show it as it is.
  return parsed.success ? parsed.data : (stored as Ruleset);
}

export function presentRulesetVersion(record: RulesetVersionRecord, activeVersion: number | null): RulesetVersionView {
  const ruleset = storedRuleset(record.ruleset);
  let reviewDueAt: string | null = null;
  const reviewedAt = record.reviewedAt ?? record.createdAt;
  try {
    reviewDueAt = iso(reviewedAt + parseDurationSeconds(ruleset.reviewEvery) * 1000);
  } catch {
    reviewDueAt = null;
  }
  return {
    version: record.version,
    summary: record.summary,
    author: record.author,
    createdAt: iso(record.createdAt),
    reviewedAt: isoOrNull(record.reviewedAt),
    reviewedBy: record.reviewedBy ?? (record.reviewedAt === null ? null : record.author),
    ruleset,
    active: record.version === activeVersion,
    reviewDueAt,
  };
}

export function presentRulesetSummary(record: RulesetVersionRecord, activeVersion: number | null): RulesetVersionSummary {
  const { ruleset, ...rest } = presentRulesetVersion(record, activeVersion);
  return { ...rest, rules: Array.isArray(ruleset.rules) ? ruleset.rules.length : 0 };
}

export function presentAuditEntry(entry: AuditEntryRecord): z.infer<typeof AuditEntry> {
  return {
    id: entry.id,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    data: { ...entry.data },
    createdAt: iso(entry.createdAt),
  };
}
