import type { Executor } from '../database.js';
import { fromJson, toJson } from '../json.js';
import type { RulesetDraftRow, RulesetVersionRow } from '../schema.js';

/**
 * Rulesets are edited as one draft and published as immutable, numbered versions; the highest
 * version is active. Rollback publishes an old version's ruleset again as a new version.
 * Rulesets are returned as stored (`unknown`): parse them with `Ruleset` (src/contract).
 */
export interface RulesetVersionRecord {
  readonly version: number;
  readonly ruleset: unknown;
  readonly summary: string | null;
  readonly author: string | null;
  readonly createdAt: number;
  readonly reviewedAt: number | null;
  /** Who marked it reviewed last; null: nobody since its author published it. */
  readonly reviewedBy: string | null;
}

export interface RulesetDraftRecord {
  readonly ruleset: unknown;
  readonly updatedBy: string | null;
  readonly updatedAt: number;
}

export function rowToRulesetVersion(row: RulesetVersionRow): RulesetVersionRecord {
  return {
    version: row.version,
    ruleset: fromJson<unknown>(row.ruleset),
    summary: row.summary,
    author: row.author,
    createdAt: row.created_at,
    reviewedAt: row.reviewed_at,
    reviewedBy: row.reviewed_by ?? null,
  };
}

export function rowToRulesetDraft(row: RulesetDraftRow): RulesetDraftRecord {
  return { ruleset: fromJson<unknown>(row.ruleset), updatedBy: row.updated_by, updatedAt: row.updated_at };
}

export async function getActiveRuleset(ex: Executor): Promise<RulesetVersionRecord | null> {
  const row = await ex.selectFrom('ruleset_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? null : rowToRulesetVersion(row);
}

export async function getRulesetVersion(ex: Executor, version: number): Promise<RulesetVersionRecord | null> {
  const row = await ex.selectFrom('ruleset_versions').selectAll().where('version', '=', version).executeTakeFirst();
  return row === undefined ? null : rowToRulesetVersion(row);
}

/** Newest first. */
export async function listRulesetVersions(ex: Executor, options: { readonly limit?: number } = {}): Promise<RulesetVersionRecord[]> {
  const rows = await ex
    .selectFrom('ruleset_versions')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(options.limit ?? 100)
    .execute();
  return rows.map(rowToRulesetVersion);
}

export interface PublishRuleset {
  readonly ruleset: unknown;
  readonly summary: string | null;
  readonly author: string | null;
  readonly now: number;
}

/**
 * Publish `ruleset` as the next version. Two admins publishing at once get consecutive
 * versions: the insert skips a number another transaction has taken (ON CONFLICT DO NOTHING
 * waits for that transaction on PostgreSQL) and tries the next one.
 */
export async function publishRuleset(ex: Executor, input: PublishRuleset): Promise<RulesetVersionRecord> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const latest = await ex
      .selectFrom('ruleset_versions')
      .select((eb) => eb.fn.max('version').as('max'))
      .executeTakeFirst();
    const version = Number(latest?.max ?? 0) + 1;
    const row = await ex
      .insertInto('ruleset_versions')
      .values({
        version,
        ruleset: toJson(input.ruleset),
        summary: input.summary,
        author: input.author,
        created_at: input.now,
        // Publishing is a review: the 90-day reminder counts from here.
        reviewed_at: input.now,
        reviewed_by: input.author,
      })
      .onConflict((oc) => oc.column('version').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) return rowToRulesetVersion(row);
  }
  throw new Error('could not allocate a ruleset version number');
}

/** Record that an admin reviewed the active rules ("last reviewed"). */
export async function markRulesetReviewed(ex: Executor, version: number, now: number, by: string): Promise<boolean> {
  const result = await ex
    .updateTable('ruleset_versions')
    .set({ reviewed_at: now, reviewed_by: by })
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function getRulesetDraft(ex: Executor): Promise<RulesetDraftRecord | null> {
  const row = await ex.selectFrom('ruleset_draft').selectAll().where('id', '=', 1).executeTakeFirst();
  return row === undefined ? null : rowToRulesetDraft(row);
}

export async function saveRulesetDraft(
  ex: Executor,
  input: { readonly ruleset: unknown; readonly updatedBy: string | null; readonly now: number },
): Promise<RulesetDraftRecord> {
  const values = { ruleset: toJson(input.ruleset), updated_by: input.updatedBy, updated_at: input.now };
  const row = await ex
    .insertInto('ruleset_draft')
    .values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToRulesetDraft(row);
}

/** No draft any more: the editor starts again from the active version (`GET /api/ruleset/draft` answers it, unsaved). */
export async function discardRulesetDraft(ex: Executor): Promise<boolean> {
  const result = await ex.deleteFrom('ruleset_draft').where('id', '=', 1).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
