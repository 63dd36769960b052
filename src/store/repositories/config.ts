import { sql } from 'kysely';
import type { Executor } from '../database.js';
import { fromJson, toJson } from '../json.js';
import { preparedQuery } from '../prepared.js';
import type { ConfigRevisionRow } from '../schema.js';

/**
 * The workspace configuration (users, teams, queues, schedules, channels, knowledge, assistant,
 * notifications) is one versioned JSON document; the newest revision is current. Applying
 * baton.yaml or editing one object appends a revision, so every configuration change is kept.
 */
export interface ConfigRevision {
  readonly id: number;
  /** The document as stored. Parse it with `WorkspaceConfig` (src/contract) before use: older
   * revisions lack fields added since, and the parser fills their defaults. */
  readonly document: unknown;
  readonly actor: string | null;
  readonly summary: string | null;
  readonly createdAt: number;
}

export function rowToConfigRevision(row: ConfigRevisionRow): ConfigRevision {
  return {
    id: row.id,
    document: fromJson<unknown>(row.document),
    actor: row.actor,
    summary: row.summary,
    createdAt: row.created_at,
  };
}

export async function getCurrentConfig(ex: Executor): Promise<ConfigRevision | null> {
  const row = await ex.selectFrom('config_revisions').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? null : rowToConfigRevision(row);
}

/** The revision that was current at `at` (the latest written at or before it), or null. */
export async function configRevisionAt(ex: Executor, at: number): Promise<ConfigRevision | null> {
  const row = await ex.selectFrom('config_revisions').selectAll().where('created_at', '<=', at).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? null : rowToConfigRevision(row);
}

export async function getConfigRevision(ex: Executor, id: number): Promise<ConfigRevision | null> {
  const row = await ex.selectFrom('config_revisions').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : rowToConfigRevision(row);
}

export interface ConfigRevisionSummary {
  readonly id: number;
  readonly actor: string | null;
  readonly summary: string | null;
  readonly createdAt: number;
}

/** Newest first, without the documents. */
export async function listConfigRevisions(
  ex: Executor,
  options: { readonly limit?: number; readonly beforeId?: number } = {},
): Promise<ConfigRevisionSummary[]> {
  let query = ex
    .selectFrom('config_revisions')
    .select(['id', 'actor', 'summary', 'created_at'])
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.id, actor: r.actor, summary: r.summary, createdAt: r.created_at }));
}

export interface AppendConfigRevision {
  readonly document: unknown;
  readonly actor: string | null;
  readonly summary: string | null;
  readonly now: number;
}

/** Make `document` the current configuration. */
export async function appendConfigRevision(ex: Executor, input: AppendConfigRevision): Promise<ConfigRevision> {
  const row = await ex
    .insertInto('config_revisions')
    .values({ document: toJson(input.document), actor: input.actor, summary: input.summary, created_at: input.now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToConfigRevision(row);
}

const HEADS = preparedQuery((db) => ({
  compile: () =>
    sql<{ revision: number | null; version: number | null }>`
      select (select max(id) from config_revisions) as revision,
             (select max(version) from ruleset_versions) as version`.compile(db),
}));

/**
 * The newest config revision and ruleset version, in one round trip: what the workspace cache
 * compares with what it compiled before every use.
 */
export async function readWorkspaceHeads(ex: Executor): Promise<{ revision: number | null; version: number | null }> {
  const first = await HEADS.first(ex, {});
  return { revision: first?.revision === null || first?.revision === undefined ? null : Number(first.revision), version: first?.version === null || first?.version === undefined ? null : Number(first.version) };
}
